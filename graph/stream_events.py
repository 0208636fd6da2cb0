"""What a chat stream tells a client, in the shape of a reply rather than of the graph.

A turn streams as: `progress` (a stage started: understanding, planning, acting, replying),
`action` (one change made, as it is made), then either `question` (the assistant asks, with the
answers it offers as quick replies) or `reply` (the answer text), and last `result` (the same
body as `POST /v1/chat`). A turn that fails ends with `error` instead, worded for the user.
Clients show stage codes in their own words; everything meant to be read is in the user's
language already.
"""

from __future__ import annotations

from typing import Any, Literal

from graph.replies import when

Stage = Literal["understanding", "planning", "acting", "replying"]

# Nodes a person would call one step of the work; a node missing here (audit, or one added
# later) shows no progress of its own. Every turn starts "understanding" before the graph runs,
# so clarify, which starts also when it is about to ask, is not one of them.
_STAGES: dict[str, Stage] = {
    "detect_intent": "understanding",
    "validate": "planning",
    "execute": "acting",
    "respond": "replying",
    # the orchestrator's steps (graph/graph.py)
    "understand": "understanding",
    "decide": "planning",
    "act": "acting",
    "audit": "replying",  # records the decision and settles the reply's words
}

# The answer a confirmation button sends is a word the clarify node reads as yes or no; the
# label is what the person sees. Roman Urdu sends the English words, which it reads the same.
_CONFIRM: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "en": (("Yes", "yes"), ("No", "no")),
    "ur": (("ہاں", "ہاں"), ("نہیں", "نہیں")),
    "ur-Latn": (("Haan", "yes"), ("Nahin", "no")),
}
_BULK_OPS = frozenset({"delete_many", "complete_many"})
MAX_OPTIONS = 10


def stage_of(node: str) -> Stage | None:
    if node.endswith("_skill"):
        return "planning"
    return _STAGES.get(node)


def question_event(question: dict[str, Any], language: str, tz: str) -> dict[str, Any]:
    """A clarifying question with its quick replies: [{label, value}], `value` being the text
    to send back as the next message. A confirmation says whether it is a bulk change."""
    kind = str(question.get("kind") or "")
    options: list[dict[str, str]]
    if isinstance(question.get("options"), list):  # a node that names its own answers
        options = [
            {"label": str(o.get("label", o.get("value", ""))), "value": str(o.get("value", ""))}
            for o in question["options"]
            if isinstance(o, dict)
        ]
    elif kind == "confirm":
        yes, no = _CONFIRM.get(language, _CONFIRM["en"])
        options = [{"label": yes[0], "value": yes[1]}, {"label": no[0], "value": no[1]}]
    elif kind == "which":
        options = [
            {"label": _candidate_label(c, tz, language), "value": str(i)}
            for i, c in enumerate(question.get("candidates") or [], start=1)
        ]
    else:
        options = []
    plan = question.get("plan") or {}
    op = plan.get("op") or plan.get("kind")  # graph.plan's plans name their kind
    return {
        "kind": kind or "open",
        "text": str(question.get("text", "")),
        "language": language,
        "options": options[:MAX_OPTIONS],
        "confirm": kind == "confirm",
        "bulk": op in _BULK_OPS,
    }


def _candidate_label(task: dict[str, Any], tz: str, language: str) -> str:
    title = str(task.get("title", ""))
    if not task.get("due"):
        return title
    return f"{title} — {when(task['due'], tz, language, all_day=bool(task.get('all_day')))}"


def action_event(action: dict[str, Any], tasks: list[dict[str, Any]]) -> dict[str, Any]:
    """One change, with the task it touched when the tools returned it."""
    task = next((t for t in tasks if str(t.get("id")) == str(action.get("task_id"))), None)
    event = dict(action)
    if task is not None:
        event["task"] = {k: task.get(k) for k in ("id", "title", "status", "due", "all_day")}
    return event


ERROR_TEXT = {
    "en": "Sorry, something went wrong on my side. Please look at your list and try again.",
    "ur": "معاف کیجیے، میری طرف سے کوئی خرابی ہوئی۔ اپنی فہرست دیکھ کر دوبارہ کوشش کریں۔",
}


def error_event(language: str) -> dict[str, Any]:
    return {"code": "turn-failed", "text": ERROR_TEXT.get(language, ERROR_TEXT["en"])}
