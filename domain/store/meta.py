"""Request metadata carried into events, and the reminder schedule derived from a task."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC

from domain.models import Task

_REMINDER_NAMESPACE = uuid.UUID("6f1c7c2e-0d7e-4a53-9a4f-3c1b9f0c2a10")


@dataclass(frozen=True, slots=True)
class Meta:
    """Who asked and how the request is traced; carried into every event."""

    correlation_id: str | None = None
    traceparent: str | None = None
    idempotency_key: str | None = None
    source: str = "/todo-agent/api"


def reminder_schedule(task: Task) -> list[dict[str, str]]:
    """The moments at which the task's reminders fire, each with a stable id."""
    out = []
    for reminder in task.reminders:
        fire_at = reminder.fire_time(task.due)
        if fire_at is None:
            continue
        rid = uuid.uuid5(_REMINDER_NAMESPACE, f"{task.id}/{fire_at.isoformat()}")
        out.append({"reminder_id": str(rid), "fire_at": fire_at.astimezone(UTC).isoformat()})
    return out
