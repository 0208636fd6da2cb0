"""The orchestrator graph: understand → skill → decide → act → audit, with clarify on the side.

    understand ─route_skill─▶ task | reminder | recurring skill ─▶ decide
         └──────────────────────(help, queries)───────────────────▶ decide
    decide ─route_decision─▶ act (a plan) ─▶ audit   or   audit (a question, an answer)
    audit ─route_after_audit─▶ clarify (a question: interrupt) or END
    clarify ─route_answer─▶ act | audit | clarify | understand | a skill | decide

Routing lives here, in small functions of the state; the nodes (graph/nodes.py) never choose
where to go. `builder` is uncompiled so the API can compile it with the Postgres checkpointer;
`graph` is compiled without one for LangGraph Studio, which brings its own (issue #5790).
"""

from __future__ import annotations

from typing import Literal

from langgraph.graph import START, StateGraph

from graph.context import Context
from graph.deps import studio_deps
from graph.nodes import DepsProvider, Orchestrator
from graph.plan import decision_of, is_plan, is_question
from graph.state import InputState, OutputState, State

SkillStep = Literal["task_skill", "reminder_skill", "recurring_skill", "decide"]
_SKILL_NODES: dict[str, SkillStep] = {
    "task": "task_skill", "reminder": "reminder_skill", "recurring": "recurring_skill",
}  # fmt: skip


def route_skill(state: State) -> SkillStep:
    """The skill skills.routing.skill_for chose; help and queries need none."""
    return _SKILL_NODES.get(state.get("skill") or "", "decide")


def route_decision(state: State) -> Literal["act", "audit"]:
    """A plan is executed; a question or an answer goes straight to the audit trail."""
    return "act" if is_plan(decision_of(state.get("decision"))) else "audit"


def route_after_audit(state: State) -> Literal["clarify", "__end__"]:
    return "clarify" if state.get("question") else "__end__"


def route_answer(
    state: State,
) -> Literal["act", "audit", "clarify", "understand", "task_skill", "reminder_skill",
             "recurring_skill", "decide"]:  # fmt: skip
    """After an answer: a confirmed plan acts, a cancel is said, an unusable answer is asked
    again, a new command is understood afresh, an answer goes back through the skill."""
    decision = decision_of(state.get("decision"))
    if decision is None:
        return "understand" if state.get("understanding") is None else route_skill(state)
    if is_plan(decision):
        return "act"
    return "clarify" if is_question(decision) else "audit"


def make_builder(deps: DepsProvider) -> StateGraph[State, Context, InputState, OutputState]:
    o = Orchestrator(deps)
    b = StateGraph(State, input_schema=InputState, output_schema=OutputState,
                   context_schema=Context)  # fmt: skip
    b.add_node("understand", o.understand)
    for skill in ("task_skill", "reminder_skill", "recurring_skill"):
        b.add_node(skill, o.run_skill)
        b.add_edge(skill, "decide")
    b.add_node("decide", o.decide)
    b.add_node("act", o.act)
    b.add_node("audit", o.audit)
    b.add_node("clarify", o.clarify)
    b.add_edge(START, "understand")
    b.add_conditional_edges("understand", route_skill)
    b.add_conditional_edges("decide", route_decision)
    b.add_edge("act", "audit")
    b.add_conditional_edges("audit", route_after_audit)
    b.add_conditional_edges("clarify", route_answer)
    return b


builder = make_builder(studio_deps)
graph = builder.compile(name="todo_orchestrator")
