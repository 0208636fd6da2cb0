"""Phrase resolvers: one labelled span in, one value out, with the rules backend's own grammar.

The LLM backend only labels spans ("next friday", "ہر اتوار", "30 minutes before"); these turn
them into dates, times, RRULEs and offsets against the given now and zone, so both backends
agree on every piece of date arithmetic.
"""

from __future__ import annotations

from datetime import date, time

from .doc import Clock, Doc
from .normalize import normalize
from .query import take_query
from .recurrence import build_recurrence, take_recurrence
from .reminders import resolve_reminder as _resolve_reminder
from .tokens import resolve_priority
from .types import ParseContext, QuerySpec, RecurrenceSpec, ReminderSpec
from .when import When, take_when

__all__ = [
    "resolve_priority",
    "resolve_query",
    "resolve_recurrence",
    "resolve_reminder",
    "resolve_when",
]


def _when(phrase: str | None, clock: Clock) -> When:
    if not phrase:
        return When()
    norm = normalize(phrase)
    return take_when(Doc(norm.text), clock, norm.language)


def resolve_when(phrase: str, ctx: ParseContext) -> tuple[date | None, time | None]:
    """'tomorrow at 5', 'کل شام' → (local date, local time); a lone time gets today/tomorrow."""
    when = _when(phrase, Clock.of(ctx))
    return (when.date, when.time) if when.said else (None, None)


def resolve_recurrence(
    phrase: str, ctx: ParseContext, *, when_phrase: str | None = None
) -> RecurrenceSpec | None:
    """'every other tuesday' (+ optional 'at 7pm') → RRULE and first occurrence."""
    clock = Clock.of(ctx)
    # one text, so "every evening" + "at 7" reads 19:00 as it would in the whole message
    norm = normalize(f"{phrase} {when_phrase}" if when_phrase else phrase)
    doc = Doc(norm.text)
    core = take_recurrence(doc, clock, norm.language)
    if core is None:
        return None
    return build_recurrence(core, take_when(doc, clock, norm.language, core.part), clock)


def resolve_reminder(phrase: str, ctx: ParseContext) -> ReminderSpec | None:
    return _resolve_reminder(phrase, Clock.of(ctx))


def resolve_query(
    phrase: str, ctx: ParseContext, *, tag: str | None = None, priority: int | None = None
) -> QuerySpec:
    """'this week', 'overdue', 'completed', 'آج کے' → the QuerySpec filters they imply."""
    norm = normalize(phrase)
    return take_query(Doc(norm.text), Clock.of(ctx), norm.language, tag=tag, priority=priority)
