"""The recurring skill: a phrase becomes an RRULE and its next occurrences in the user's zone."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from domain.recurrence import occurrences
from skills.common import SkillInput, SkillState, parse_context, skill_graph, understood
from skills.understanding import RecurrenceSpec, TaskFields

PREVIEW = 5


class RecurringSkillResult(BaseModel):
    recurrence: RecurrenceSpec | None
    fields: TaskFields
    next_occurrences: list[str] = Field(description="the next few, ISO 8601 in the user's zone")
    missing: list[str] = Field(default_factory=list)
    confidence: float = Field(ge=0, le=1)


class RecurringSkillOutput(SkillInput, total=False):
    result: dict[str, Any]


def shape(state: SkillState) -> dict[str, Any]:
    u = understood(state)
    ctx = parse_context(state)
    upcoming: list[str] = []
    missing = list(u.missing)
    if u.recurrence is None:
        missing.append("recurrence")
    else:
        spec = u.recurrence
        zone = ZoneInfo(ctx.timezone)
        upcoming = [
            o.astimezone(zone).isoformat()
            for o in occurrences(spec.rrule, spec.dtstart, ctx.timezone, count=PREVIEW)
        ]
    result = RecurringSkillResult(
        recurrence=u.recurrence, fields=u.task, next_occurrences=upcoming, missing=missing,
        confidence=u.confidence,
    )  # fmt: skip
    return {"result": result.model_dump(mode="json")}


graph = skill_graph("recurring_skill", shape, RecurringSkillOutput)
