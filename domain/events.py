"""Topics, event types and the CloudEvents 1.0 envelope (structured JSON mode).

One envelope on every path: a message published straight to Kafka and one published through the
Dapr sidecar (as `application/cloudevents+json`, passed through unwrapped) look the same.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Topic(StrEnum):
    TASK_EVENTS = "task-events"
    REMINDERS = "reminders"
    TASK_UPDATES = "task-updates"
    AUDIT_EVENTS = "audit-events"

    @property
    def dlq(self) -> str:
        return f"{self.value}.dlq"


class EventType(StrEnum):
    TASK_CREATED = "task.created"
    TASK_UPDATED = "task.updated"
    TASK_COMPLETED = "task.completed"
    TASK_REOPENED = "task.reopened"
    TASK_DELETED = "task.deleted"
    REMINDER_SCHEDULED = "reminder.scheduled"
    REMINDER_CANCELLED = "reminder.cancelled"
    REMINDER_FIRED = "reminder.fired"
    REMINDER_DELIVERED = "reminder.delivered"
    REMINDER_FAILED = "reminder.failed"
    RECURRING_GENERATED = "recurring.generated"
    AGENT_DECISION = "agent.decision"


ALL_TOPICS: tuple[str, ...] = tuple(t.value for t in Topic) + tuple(t.dlq for t in Topic)

SOURCE = "/todo-agent"


class CloudEvent(BaseModel):
    """CloudEvents 1.0 with our required extensions (`userid`, `correlationid`, `traceparent`)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    specversion: str = "1.0"
    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    source: str = SOURCE
    type: str
    time: datetime = Field(default_factory=lambda: datetime.now(UTC))
    subject: str
    datacontenttype: str = "application/json"
    userid: str
    correlationid: str | None = None
    traceparent: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)

    @property
    def key(self) -> bytes:
        """Kafka partition key: the user, so each user's events stay in order."""
        return self.userid.encode()

    def to_json(self) -> bytes:
        return self.model_dump_json(exclude_none=True).encode()


def new_event(
    type_: EventType | str,
    *,
    user_id: uuid.UUID | str,
    subject: str,
    data: dict[str, Any],
    correlation_id: str | None = None,
    traceparent: str | None = None,
    source: str = SOURCE,
    event_id: str | None = None,
) -> CloudEvent:
    return CloudEvent(
        id=event_id or str(uuid.uuid4()),
        type=str(type_),
        userid=str(user_id),
        subject=subject,
        data=data,
        correlationid=correlation_id,
        traceparent=traceparent,
        source=source,
    )


def task_subject(task_id: uuid.UUID | str) -> str:
    return f"task/{task_id}"
