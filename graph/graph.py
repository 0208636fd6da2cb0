"""The orchestrator graph.

`builder` is uncompiled so the API can compile it with the Postgres checkpointer;
`graph` is compiled without one for LangGraph Studio, which brings its own (issue #5790).
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from graph.context import Context
from graph.deps import studio_deps
from graph.nodes import DepsProvider, Orchestrator
from graph.state import InputState, OutputState, State


def make_builder(deps: DepsProvider) -> StateGraph:
    o = Orchestrator(deps)
    b = StateGraph(State, input_schema=InputState, output_schema=OutputState,
                   context_schema=Context)  # fmt: skip
    b.add_node("load_context", o.load_context)
    b.add_node("detect_intent", o.detect_intent)
    for skill in ("task_skill", "reminder_skill", "recurring_skill"):
        b.add_node(skill, o.skill_node(skill))
        b.add_edge(skill, "validate")
    b.add_node("validate", o.validate)
    b.add_node("clarify", o.clarify)
    b.add_node("execute", o.execute)
    b.add_node("audit", o.audit)
    b.add_node("respond", o.respond)
    b.add_edge(START, "load_context")
    b.add_edge("load_context", "detect_intent")
    b.add_edge("execute", "audit")
    b.add_edge("respond", END)
    return b


builder = make_builder(studio_deps)
graph = builder.compile(name="todo_orchestrator")
