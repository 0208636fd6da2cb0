"""One assembler for both backends: parts in, an Understanding out, with the "what is missing"
rules applied once.

The rules grammar and the LLM's span labels each produce `Parts` (the intent, the words and the
resolved dates); `assemble()` decides what a command still needs before the graph may act, so
the two backends can only differ in what they read, never in when they ask.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from .types import (
    Intent,
    Language,
    QuerySpec,
    RecurrenceSpec,
    ReminderSpec,
    TaskFields,
    TaskRef,
    Understanding,
)

_TARGETED = frozenset(
    {
        Intent.UPDATE_TASK, Intent.COMPLETE_TASK, Intent.REOPEN_TASK, Intent.DELETE_TASK,
        Intent.SET_REMINDER,
    }
)  # fmt: skip


@dataclass(slots=True)
class Parts:
    """What a backend read from one message, already resolved against the clock."""

    intent: Intent
    confidence: float
    language: Language
    title: str | None = None  # the new task's title, or an update's new title
    notes: str | None = None
    priority: int | None = None
    tags: list[str] = field(default_factory=list)
    due_date: date | None = None
    due_time: time | None = None
    shift_minutes: int | None = None
    recurrence: RecurrenceSpec | None = None
    reminder: ReminderSpec | None = None  # a moment or an offset that was said
    remind_at_due: bool = False  # "remind me to X <when>": the reminder fires at the due time
    target: TaskRef | None = None
    query: QuerySpec | None = None


def _fields(parts: Parts) -> TaskFields:
    return TaskFields(
        title=parts.title or None,
        notes=parts.notes,
        priority=parts.priority,
        tags=parts.tags,
        due_date=parts.due_date,
        due_time=parts.due_time,
        shift_minutes=parts.shift_minutes,
    )


def assemble(parts: Parts) -> Understanding:
    """The understanding of one message, with `missing` saying what to ask before acting.

    - create_task needs a title; "remind me to X" always yields a reminder: at the moment said,
      else at the due time (offset 0), else `when` is missing (the graph asks, nothing is guessed).
    - update/complete/reopen/delete/set_reminder need a target; set_reminder needs a moment or
      offset; an update needs at least one change.
    """
    base = Understanding(intent=parts.intent, confidence=parts.confidence, language=parts.language)
    intent = parts.intent
    if intent in (Intent.HELP, Intent.UNKNOWN):
        return base
    if intent is Intent.QUERY_TASKS:
        return base.model_copy(update={"query": parts.query or QuerySpec()})

    missing: list[str] = []
    if intent in _TARGETED and parts.target is None:
        missing.append("target")
    reminder = parts.reminder

    if intent is Intent.CREATE_TASK:
        task = _fields(parts).model_copy(update={"shift_minutes": None})
        if parts.remind_at_due and reminder is None:
            if task.due_date is not None or parts.recurrence is not None:
                reminder = ReminderSpec(offset_minutes=0)
            else:
                missing.append("when")
        if not task.title:
            missing.insert(0, "title")
        return base.model_copy(
            update={"task": task, "reminder": reminder, "recurrence": parts.recurrence,
                    "missing": missing}
        )  # fmt: skip

    if intent is Intent.SET_REMINDER:
        if reminder is None:
            missing.append("when")
        return base.model_copy(
            update={"target": parts.target, "reminder": reminder, "recurrence": parts.recurrence,
                    "missing": missing}
        )  # fmt: skip

    if intent is Intent.UPDATE_TASK:
        task = _fields(parts)
        if not task.model_dump(exclude_defaults=True) and parts.recurrence is None and not reminder:
            missing.append("changes")
        return base.model_copy(
            update={"task": task, "target": parts.target, "reminder": reminder,
                    "recurrence": parts.recurrence, "missing": missing}
        )  # fmt: skip

    # complete / reopen / delete: only the reference matters
    return base.model_copy(update={"target": parts.target, "missing": missing})
