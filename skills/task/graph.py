"""The task skill: title, notes, priority, tags and due date/time, with a confidence."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from skills.common import SkillInput, SkillState, skill_graph, understood
from skills.understanding import Intent, TaskFields, TaskRef, Understanding


class TaskSkillResult(BaseModel):
    intent: Intent
    fields: TaskFields
    target: TaskRef | None = None
    missing: list[str] = Field(default_factory=list)
    confidence: float = Field(ge=0, le=1)


class TaskSkillOutput(SkillInput, total=False):
    result: dict[str, Any]


def propose(u: Understanding) -> TaskSkillResult:
    return TaskSkillResult(
        intent=u.intent, fields=u.task, target=u.target, missing=u.missing,
        confidence=u.confidence,
    )  # fmt: skip


def shape(state: SkillState) -> dict[str, Any]:
    return {"result": propose(understood(state)).model_dump(mode="json")}


graph = skill_graph("task_skill", shape, TaskSkillOutput)
