"""The orchestrator's state. Per-turn keys are reset by load_context; the rest lives on."""

from __future__ import annotations

from typing import Any, TypedDict


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
    skill: str | None
    skill_result: dict[str, Any] | None
    plan: dict[str, Any] | None  # {"op": ..., "task_ids": [...], ...}
    outcome: str
    tool_calls: list[dict[str, Any]]
    last_task_id: str | None  # "it", "that", "اسے" refer to this one


PER_TURN_RESET: dict[str, Any] = {
    "understanding": None,
    "skill": None,
    "skill_result": None,
    "plan": None,
    "outcome": "answered",
    "tool_calls": [],
    "actions": [],
    "tasks": [],
    "question": None,
    "reply": "",
}
