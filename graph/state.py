"""The orchestrator's state. Per-turn keys are reset when a turn is understood; the rest lives on.

Decisions, proposals and understandings are stored as JSON (checkpoints stay plain data) and read
back through their types: `graph.plan.decision_of`, `Understanding.model_validate`.
"""

from __future__ import annotations

from typing import Any, TypedDict

from skills.audit.decision import Outcome
from skills.routing import Skill


class InputState(TypedDict):
    message: str


class OutputState(TypedDict, total=False):
    reply: str
    language: str
    actions: list[dict[str, Any]]  # what was done: {"action": "created", "task_id": ...}
    tasks: list[dict[str, Any]]  # the tasks touched or listed, as the tools returned them
    question: dict[str, Any] | None  # set when the turn ends with a clarifying question


class State(InputState, OutputState, total=False):
    turn: int
    turn_key: str  # the turn's number and message digest: scopes tool idempotency keys
    understanding: dict[str, Any] | None
    skill: Skill | None
    skill_result: dict[str, Any] | None  # the skill's typed proposal (skills/*/graph.py)
    pinned: dict[str, Any] | None  # the task the user picked in answer to a question
    decision: dict[str, Any] | None  # graph.plan.Decision: plan, question or answer
    outcome: Outcome
    tool_calls: list[dict[str, Any]] | None
    last_task_id: str | None  # "it", "that", "اسے" refer to this one
    last_change: dict[str, Any] | None  # what the last update replaced: "undo" puts it back


PER_TURN_RESET: dict[str, Any] = {
    "understanding": None,
    "skill": None,
    "skill_result": None,
    "pinned": None,
    "decision": None,
    "outcome": "answered",
    "tool_calls": [],
    "actions": [],
    "tasks": [],
    "question": None,
    "reply": "",
}

# A finished turn's scratch (no question pending): the next turn starts from PER_TURN_RESET
# anyway, and the audit trail keeps the decision. Cleared to None because the Postgres saver
# keeps None inline in the checkpoint, while every dict or list channel is a blob row written
# at the turn's end and read back at the next turn's start: measured in bench/bench_chat.py,
# those rows were most of what a turn's checkpoint costs beyond the one-node peer's.
FINISHED_TURN_CLEARED: dict[str, Any] = {
    "understanding": None,
    "skill_result": None,
    "decision": None,
    "tool_calls": None,
}
