"""The audit skill's pure core: one `agent.decision` payload from what the graph decided and did."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from skills.routing import Skill, skill_for
from skills.understanding.types import Intent, Understanding

Outcome = Literal["executed", "clarify", "confirm", "rejected", "answered"]


class ToolCall(BaseModel):
    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    ok: bool = True
    idempotency_key: str | None = None
    error: str | None = None


class AgentDecision(BaseModel):
    """The data of an `agent.decision` CloudEvent."""

    intent: Intent
    confidence: float
    language: str
    skill: Skill
    outcome: Outcome
    skill_output: dict[str, Any]
    tool_calls: list[ToolCall] = Field(default_factory=list)
    conversation_id: str | None = None


def build_decision(
    understanding: Understanding,
    tool_calls: list[ToolCall],
    *,
    outcome: Outcome,
    conversation_id: str | None = None,
    skill_output: dict[str, Any] | None = None,
) -> AgentDecision:
    return AgentDecision(
        intent=understanding.intent,
        confidence=understanding.confidence,
        language=understanding.language,
        skill=skill_for(understanding),
        outcome=outcome,
        skill_output=skill_output
        if skill_output is not None
        else understanding.model_dump(mode="json", exclude_defaults=True),
        tool_calls=tool_calls,
        conversation_id=conversation_id,
    )
