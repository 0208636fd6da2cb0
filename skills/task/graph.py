"""The task skill: title, notes, priority, tags and due date/time, with a confidence."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from skills.common import SkillInput, SkillState, skill_graph, understood
from skills.understanding import Intent, TaskFields, TaskRef


class TaskSkillResult(BaseModel):
    intent: Intent
    fields: TaskFields
    target: TaskRef | None = None
    missing: list[str] = Field(default_factory=list)
    confidence: float = Field(ge=0, le=1)


class TaskSkillOutput(SkillInput, total=False):
    result: dict[str, Any]


def shape(state: SkillState) -> dict[str, Any]:
    u = understood(state)
    result = TaskSkillResult(
        intent=u.intent, fields=u.task, target=u.target, missing=u.missing,
        confidence=u.confidence,
    )  # fmt: skip
    return {"result": result.model_dump(mode="json")}


graph = skill_graph("task_skill", shape, TaskSkillOutput)
