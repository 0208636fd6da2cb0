"""Multi-turn goldens: whole conversations through the chat API, turn by turn.

A golden is one JSON object a line in `evals/conversations/*.jsonl`. Each turn says what the
person writes and what must be true of the assistant's answer; a key that is absent is not
checked. Dates are real (the chat reads the clock), so a golden pins what does not depend on
the day it runs: the delay from the message, the hour, the weekday, the wording.

    {"id": "conv-en-001", "language": "en", "timezone": "Asia/Karachi",
     "about": "a reminder in 1 minute never fires early",
     "turns": [{"say": "remind me in 1 minute to check the stove",
                "expect": {"actions": ["created"],
                           "task": {"title": "check the stove", "due_at_least_seconds": 60,
                                    "reminders": [{"at": null, "offset_minutes": 0}]}}}]}

`xfail` (optional) names why a golden cannot pass yet (e.g. "graph redesign, issue 10"); such a
golden still runs and is reported, it does not fail the suite.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from skills.understanding.types import Language

CONVERSATION_DIR = Path(__file__).parent / "conversations"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExpectedTask(_Strict):
    """The first task of a turn's answer."""

    title: str | None = None
    tags: list[str] | None = None
    due_at_least_seconds: int | None = Field(
        default=None, description="due is at least this long after the message was sent"
    )
    due_days_from_today: int | None = Field(default=None, description="local date of the due")
    due_hour: int | None = None
    due_day_of_month: int | None = None
    all_day: bool | None = None
    reminders: list[dict[str, Any]] | None = None
    rrule: str | None = None


class Expected(_Strict):
    actions: list[str] | None = None  # the action names, in order ("created", "updated", ...)
    awaiting_reply: bool | None = None  # the assistant asked a question
    language: Language | None = None
    reply_has: list[str] = Field(default_factory=list)
    reply_lacks: list[str] = Field(default_factory=list)
    titles: list[str] | None = None  # the titles of the tasks in the answer, in order
    task: ExpectedTask | None = None


class Turn(_Strict):
    say: str = Field(min_length=1)
    expect: Expected = Field(default_factory=Expected)


class Conversation(_Strict):
    id: str
    language: Language
    timezone: str = "Asia/Karachi"
    locale: str = "en"  # the account's locale at registration ("en" | "ur")
    about: str
    turns: list[Turn] = Field(min_length=1)
    xfail: str | None = None


# What no reply may ever show: internals, ids, machine plurals.
NEVER_IN_A_REPLY = ("task(s)", "Error executing", "Traceback", "validation error", "tool ")


def read_file(path: Path) -> list[Conversation]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                out.append(Conversation.model_validate(json.loads(line)))
            except ValueError as exc:
                raise ValueError(f"{path.name}:{number}: invalid conversation: {exc}") from exc
    return out


@cache
def load_all() -> tuple[Conversation, ...]:
    return tuple(c for p in sorted(CONVERSATION_DIR.glob("*.jsonl")) for c in read_file(p))
