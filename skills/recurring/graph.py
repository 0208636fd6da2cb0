"""The recurring skill: a phrase becomes an RRULE, its first occurrence (the task's due time)
and the next occurrences in the user's zone, plus the reminders each occurrence carries."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from domain.recurrence import occurrences
from skills.common import SkillInput, SkillState, parse_context, skill_graph, understood
from skills.understanding import RecurrenceSpec, TaskFields, Understanding

PREVIEW = 5


class RecurringSkillResult(BaseModel):
    recurrence: RecurrenceSpec | None
    fields: TaskFields = Field(description="its due time is the first occurrence")
    next_occurrences: list[str] = Field(description="the next few, ISO 8601 in the user's zone")
    reminder_offsets_minutes: list[int] = Field(
        default_factory=list, description="reminders before each occurrence's due time"
    )
    missing: list[str] = Field(default_factory=list)
    confidence: float = Field(ge=0, le=1)

    def upcoming(self) -> list[datetime]:
        return [datetime.fromisoformat(o) for o in self.next_occurrences]


class RecurringSkillOutput(SkillInput, total=False):
    result: dict[str, Any]


def propose(u: Understanding, tz: str) -> RecurringSkillResult:
    missing = list(u.missing)
    fields = u.task
    upcoming: list[datetime] = []
    if u.recurrence is None:
        missing.append("recurrence")
    else:
        spec = u.recurrence
        upcoming = occurrences(spec.rrule, spec.dtstart, tz, count=PREVIEW)
        if fields.due_date is None:  # the series starts at its first occurrence
            start = spec.dtstart
            fields = fields.model_copy(update={"due_date": start.date(), "due_time": start.time()})
    offset = u.reminder.offset_minutes if u.reminder is not None else None
    zone = ZoneInfo(tz)
    return RecurringSkillResult(
        recurrence=u.recurrence, fields=fields,
        next_occurrences=[o.astimezone(zone).isoformat() for o in upcoming],
        reminder_offsets_minutes=[offset] if offset is not None else [], missing=missing,
        confidence=u.confidence,
    )  # fmt: skip


def shape(state: SkillState) -> dict[str, Any]:
    result = propose(understood(state), parse_context(state).timezone)
    return {"result": result.model_dump(mode="json")}


graph = skill_graph("recurring_skill", shape, RecurringSkillOutput)
