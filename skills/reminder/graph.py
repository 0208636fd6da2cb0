"""The reminder skill: an absolute time, or an offset before the task's due time."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from skills.common import SkillInput, SkillState, skill_graph, understood
from skills.understanding import ReminderSpec, TaskRef


class ReminderSkillResult(BaseModel):
    reminder: ReminderSpec | None
    target: TaskRef | None = None
    creates_task: bool = Field(description="'remind me to X': the reminder comes with a new task")
    missing: list[str] = Field(default_factory=list)
    confidence: float = Field(ge=0, le=1)


class ReminderSkillOutput(SkillInput, total=False):
    result: dict[str, Any]


def shape(state: SkillState) -> dict[str, Any]:
    u = understood(state)
    missing = [m for m in u.missing if m in ("when", "target")]
    if u.reminder is None and "when" not in missing:
        missing.append("when")
    result = ReminderSkillResult(
        reminder=u.reminder,
        target=u.target,
        creates_task=u.intent == "create_task",
        missing=missing,
        confidence=u.confidence,
    )
    return {"result": result.model_dump(mode="json")}


graph = skill_graph("reminder_skill", shape, ReminderSkillOutput)
