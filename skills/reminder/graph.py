"""The reminder skill: when to remind, as moments the executor sets.

A one-off reminder is an instant ("tomorrow at 5pm") or an offset before the task's due time
("30 minutes before"); "remind me to X tomorrow 5pm" is a new task reminded when it is due. A
repeating one ("remind me about the dentist every monday at 9") makes the task repeat on that rule
and reminds at each occurrence, so the moments are the rule's next occurrences.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from pydantic import BaseModel, Field

from domain.recurrence import localize, occurrences
from skills.common import SkillInput, SkillState, parse_context, skill_graph, understood
from skills.understanding import RecurrenceSpec, ReminderSpec, TaskFields, TaskRef, Understanding

PREVIEW = 3


class ReminderSkillResult(BaseModel):
    reminder: ReminderSpec | None = Field(description="what was said, local wall-clock")
    at: datetime | None = Field(default=None, description="a one-off moment, aware")
    offset_minutes: int | None = Field(default=None, ge=0, description="before each due time")
    recurrence: RecurrenceSpec | None = Field(
        default=None, description="'every monday at 9': the task repeats and is reminded each time"
    )
    moments: list[datetime] = Field(
        default_factory=list, description="the next reminders that are known now, aware"
    )
    fields: TaskFields = Field(default_factory=TaskFields)
    target: TaskRef | None = None
    creates_task: bool = Field(description="'remind me to X': the reminder comes with a new task")
    missing: list[str] = Field(default_factory=list)
    confidence: float = Field(ge=0, le=1)


class ReminderSkillOutput(SkillInput, total=False):
    result: dict[str, Any]


def propose(u: Understanding, tz: str) -> ReminderSkillResult:
    missing = [m for m in u.missing if m in ("when", "target", "title")]
    spec = u.reminder
    at: datetime | None = None
    offset: int | None = None
    moments: list[datetime] = []
    recurrence = u.recurrence
    fields = u.task
    if recurrence is not None:
        # Reminded at each occurrence: the rule's time is the reminder's time.
        offset = spec.offset_minutes if spec is not None and spec.offset_minutes else 0
        moments = occurrences(recurrence.rrule, recurrence.dtstart, tz, count=PREVIEW)
    elif spec is not None and spec.offset_minutes is not None:
        offset = spec.offset_minutes
        if fields.due_date is not None:
            due = localize(datetime.combine(fields.due_date, fields.due_time or time(0)), tz)
            moments = [due - timedelta(minutes=offset)]
    elif spec is not None and spec.at_date is not None:
        at = localize(datetime.combine(spec.at_date, spec.at_time or time(9)), tz)
        moments = [at]
    if at is None and offset is None and "when" not in missing:
        missing.append("when")
    return ReminderSkillResult(
        reminder=spec, at=at, offset_minutes=offset, recurrence=recurrence, moments=moments,
        fields=fields, target=u.target, creates_task=u.intent == "create_task", missing=missing,
        confidence=u.confidence,
    )  # fmt: skip


def shape(state: SkillState) -> dict[str, Any]:
    result = propose(understood(state), parse_context(state).timezone)
    return {"result": result.model_dump(mode="json")}


graph = skill_graph("reminder_skill", shape, ReminderSkillOutput)
