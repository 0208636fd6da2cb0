"""Which skill handles a turn: one rule, read by the orchestrator's routing and by the audit
decision, so the skill that ran is the skill the audit trail names."""

from __future__ import annotations

from typing import Literal

from skills.understanding.types import Intent, Understanding

Skill = Literal["task", "reminder", "recurring", "query", "help"]

_WRITES = (Intent.CREATE_TASK, Intent.UPDATE_TASK)


def skill_for(u: Understanding) -> Skill:
    """Help and queries need no skill; a reminder request is the reminder skill's (a repeating one
    too: "remind me about the dentist every monday at 9" is about when to remind); a repeating
    task is the recurring skill's; a task that comes with a reminder ("remind me to call mom
    tomorrow 5pm") is the reminder skill's; every other change is the task skill's."""
    if u.intent in (Intent.HELP, Intent.UNKNOWN):
        return "help"
    if u.intent is Intent.QUERY_TASKS:
        return "query"
    if u.intent is Intent.SET_REMINDER:
        return "reminder"
    if u.recurrence is not None and u.intent in _WRITES:
        return "recurring"
    if u.reminder is not None and u.intent in _WRITES:
        return "reminder"
    return "task"
