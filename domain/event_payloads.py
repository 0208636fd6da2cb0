"""The `data` of each CloudEvent type, as the producers write it: the contract of the topics for
whoever consumes them. The AsyncAPI document (`todo-agent asyncapi`) is generated from these
models, and the test suite checks real published events against it, so a producer that drifts
from its model fails a test. Unknown fields are refused (additionalProperties: false) for that
reason; consumers should still ignore fields they do not know, as CloudEvents advises.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from domain.models import Task


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TaskChanged(_Payload):
    """`task.created`, `task.updated`, `task.completed`, `task.reopened`, `task.deleted`: the task
    after the change (before it, for a delete)."""

    task: Task
    changed: list[str] | None = Field(
        default=None, description="task.updated: the fields the change set"
    )


class ReminderMoment(_Payload):
    reminder_id: uuid.UUID = Field(description="stable for one task and moment")
    fire_at: datetime = Field(description="UTC")


class ReminderScheduled(_Payload):
    """The task's reminders now: they replace any scheduled before for this task."""

    task_id: uuid.UUID
    title: str
    reminders: list[ReminderMoment]
    due: datetime | None = Field(default=None, description="absent when the task has no due time")


class ReminderCancelled(_Payload):
    task_id: uuid.UUID
    reminder_ids: list[uuid.UUID]


class ReminderFired(_Payload):
    """On `task-updates`, for the user's open clients (the in-app channel)."""

    task_id: uuid.UUID
    reminder_id: uuid.UUID
    fire_at: datetime
    title: str
    due: datetime | None
    fired_at: datetime


class ReminderOutcome(_Payload):
    """`reminder.delivered`, or `reminder.failed` with the channels that failed and why."""

    task_id: uuid.UUID
    reminder_id: uuid.UUID
    fire_at: datetime
    finished_at: datetime
    channels: list[str] = Field(description="the channels it reached")
    errors: dict[str, str] | None = Field(default=None, description="channel: reason")


class RecurringGenerated(_Payload):
    series_id: uuid.UUID
    completed_task_id: uuid.UUID
    task_id: uuid.UUID = Field(description="the next instance")
    occurrence: int = Field(ge=1)
    due: datetime | None
    rrule: str | None
