"""The audit skill: builds the `agent.decision` event data from what the graph decided and did."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from langgraph.graph import END, START, StateGraph

from skills.audit.decision import Outcome, ToolCall, build_decision
from skills.understanding import Understanding


class AuditSkillInput(TypedDict):
    understanding: dict[str, Any]
    outcome: Outcome
    tool_calls: NotRequired[list[dict[str, Any]]]
    conversation_id: NotRequired[str]
    skill_output: NotRequired[dict[str, Any]]  # the skill subgraph's result, when one ran


class AuditSkillOutput(TypedDict, total=False):
    decision: dict[str, Any]


class AuditSkillState(AuditSkillInput, AuditSkillOutput):
    pass


async def decide(state: AuditSkillState) -> dict[str, Any]:  # async: no thread-pool hop
    decision = build_decision(
        Understanding.model_validate(state["understanding"]),
        [ToolCall.model_validate(c) for c in state.get("tool_calls", [])],
        outcome=state["outcome"],
        conversation_id=state.get("conversation_id"),
        skill_output=state.get("skill_output"),
    )
    return {"decision": decision.model_dump(mode="json")}


builder = StateGraph(AuditSkillState, input_schema=AuditSkillInput, output_schema=AuditSkillOutput)
builder.add_node("decide", decide)
builder.add_edge(START, "decide")
builder.add_edge("decide", END)
graph = builder.compile(name="audit_skill", checkpointer=False)  # one step of the parent's turn
