"""What the next instance of a recurring task is: pure date math, no I/O.

The next due time is computed in the user's zone from the completed instance's local wall-clock
due, so "every day at 9" stays at 9 across DST changes and "BYMONTHDAY=-1" lands on each month's
last day. COUNT is counted by the series' occurrence number, because every instance restarts the
rule at its own due; UNTIL is left to the rule.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from domain.models import Recurrence, Reminder, Task, TaskCreate
from domain.recurrence import localize, next_occurrence


@dataclass(frozen=True, slots=True)
class NextInstance:
    task_id: uuid.UUID
    series_id: uuid.UUID
    occurrence: int
    create: TaskCreate


def next_instance_id(series_id: uuid.UUID, occurrence: int) -> uuid.UUID:
    """Deterministic: the same completed instance always yields the same next id."""
    return uuid.uuid5(series_id, str(occurrence))


def _split_count(rrule: str) -> tuple[str, int | None]:
    parts, count = [], None
    for part in rrule.split(";"):
        key, _, value = part.partition("=")
        if key.upper() == "COUNT":
            count = int(value)
        else:
            parts.append(part)
    return ";".join(parts), count


def _naive_local(instant: datetime, tz: str) -> datetime:
    return instant.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def _shift(reminder: Reminder, old_local: datetime, new_local: datetime, tz: str) -> Reminder:
    """Absolute reminders move by the same wall-clock delta as the due time."""
    if reminder.at is None:
        return reminder
    at_local = _naive_local(reminder.at, tz)
    moved = localize(at_local + (new_local - old_local), tz).astimezone(UTC)
    return Reminder(at=moved)


def plan_next(task: Task, tz: str) -> NextInstance | None:
    """The next instance of a completed recurring task, or None when the series has ended."""
    if task.recurrence is None or task.due is None:
        return None
    rule, count = _split_count(task.recurrence.rrule)
    occurrence = task.recurrence.occurrence
    if count is not None and occurrence >= count:
        return None
    current_local = _naive_local(task.due, tz)
    next_due = next_occurrence(rule, current_local, tz, after=task.due)
    if next_due is None:
        return None
    next_local = _naive_local(next_due, tz)
    series_id = task.recurrence.series_id or task.id
    create = TaskCreate(
        title=task.title,
        notes=task.notes,
        priority=task.priority,
        tags=task.tags,
        due=next_due,
        all_day=task.all_day,
        reminders=[_shift(r, current_local, next_local, tz) for r in task.reminders],
        recurrence=Recurrence(
            rrule=task.recurrence.rrule, series_id=series_id, occurrence=occurrence + 1
        ),
    )
    return NextInstance(
        task_id=next_instance_id(series_id, occurrence + 1),
        series_id=series_id,
        occurrence=occurrence + 1,
        create=create,
    )
