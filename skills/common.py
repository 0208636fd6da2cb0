"""What every skill subgraph shares: its input, and understanding the text when used alone.

Inside the orchestrator a skill receives the message already understood (one parse a turn);
alone (tests, evals, Studio) it understands the text itself with the rules backend.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, NotRequired, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from skills.understanding import ParseContext, Understanding, understand_sync


class SkillInput(TypedDict):
    text: str
    now: NotRequired[str]  # ISO 8601 with offset; default: the current time
    timezone: NotRequired[str]
    locale: NotRequired[str]
    understanding: NotRequired[dict[str, Any]]


class SkillState(SkillInput, total=False):
    result: dict[str, Any]


def parse_context(state: SkillInput) -> ParseContext:
    now = state.get("now")
    moment = datetime.fromisoformat(now) if now else datetime.now().astimezone()
    return ParseContext(
        now=moment, timezone=state.get("timezone", "UTC"), locale=state.get("locale", "en")
    )


def understood(state: SkillInput) -> Understanding:
    if (given := state.get("understanding")) is not None:
        return Understanding.model_validate(given)
    return understand_sync(state["text"], parse_context(state))


def skill_graph(
    name: str, shape: Callable[[SkillState], dict[str, Any]], output_schema: type
) -> CompiledStateGraph:
    """One step, `propose`: the skill's typed proposal from the understanding it was given (or,
    alone, from its own reading of the text). One node, so a skill costs the orchestrator one
    superstep of its own."""

    # Async, though it does no I/O: LangGraph runs a sync node in a thread pool, a hop that costs
    # more than the node itself. No checkpointer of its own: inside the orchestrator a skill is
    # one step of the parent's turn, and the parent's checkpoint is the one that counts.
    async def propose(state: SkillState) -> dict[str, Any]:
        if state.get("understanding") is not None:
            return shape(state)
        update = {"understanding": understood(state).model_dump(mode="json")}
        return {**update, **shape({**state, **update})}  # type: ignore[typeddict-item]

    builder = StateGraph(SkillState, input_schema=SkillInput, output_schema=output_schema)
    builder.add_node("propose", propose)
    builder.add_edge(START, "propose")
    builder.add_edge("propose", END)
    return builder.compile(name=name, checkpointer=False)
