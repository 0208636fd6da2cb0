"""The LLM backend's labelled spans → `Parts`, with the rules backend's own resolvers.

The model only says which words are the date, the time, the repetition, the reminder; these are
resolved here against the given now and zone, and `assemble()` applies the same "what is
missing" rules as for the rules grammar, so both backends agree on every date and every question.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .assemble import Parts
from .normalize import detect_language, normalize
from .phrases import (
    resolve_priority,
    resolve_query,
    resolve_recurrence,
    resolve_reminder,
    resolve_when,
)
from .references import clean_target
from .types import Intent, ParseContext, TaskRef

if TYPE_CHECKING:  # the schema lives with the model call; importing it would load langchain
    from .ollama import Spans


def _joined(*phrases: str | None) -> str | None:
    words = " ".join(p.strip() for p in phrases if p and p.strip())
    return words or None


def _tags(raw: list[str]) -> list[str]:
    tags: list[str] = []
    for tag in raw:
        tag = tag.strip().lstrip("#").lower()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _target(spans: Spans) -> TaskRef | None:
    if spans.all_tasks:
        return TaskRef(all_tasks=True)
    if spans.target_is_pronoun:
        return TaskRef(pronoun=True)
    if spans.target:
        # cleaned by the grammar of its own script ("report wala kaam" is read as Urdu)
        norm = normalize(spans.target)
        if text := norm.original(clean_target(norm.text, norm.language)):
            return TaskRef(text=text)
    return None


def parts_from_spans(spans: Spans, text: str, ctx: ParseContext) -> Parts:
    """Resolve each labelled phrase; the assembler decides what is still missing."""
    language = detect_language(text)
    intent = Intent(spans.intent)
    priority = resolve_priority(spans.priority_phrase) if spans.priority_phrase else None
    tags = _tags(spans.tags)
    parts = Parts(intent, spans.confidence, language, priority=priority, tags=tags)
    if intent in (Intent.HELP, Intent.UNKNOWN):
        return parts
    when_phrase = _joined(spans.date_phrase, spans.time_phrase)
    if intent is Intent.QUERY_TASKS:
        query = resolve_query(
            when_phrase or "", ctx, tag=tags[0] if tags else None, priority=priority
        )
        updates = {"status": spans.query_status, "text": spans.query_text}
        parts.query = query.model_copy(update={k: v for k, v in updates.items() if v})
        return parts

    if when_phrase:
        parts.due_date, parts.due_time = resolve_when(when_phrase, ctx)
    if spans.recurrence_phrase:
        parts.recurrence = resolve_recurrence(spans.recurrence_phrase, ctx, when_phrase=when_phrase)
        if parts.recurrence is not None:
            parts.due_date = parts.recurrence.dtstart.date()
            parts.due_time = parts.recurrence.dtstart.time() if spans.time_phrase else None
    if spans.reminder_phrase:
        parts.reminder = resolve_reminder(spans.reminder_phrase, ctx)
    parts.notes = spans.notes
    if intent is Intent.SET_REMINDER:
        if parts.reminder is None and when_phrase:
            parts.reminder = resolve_reminder(when_phrase, ctx)
        parts.due_date = parts.due_time = None
    elif intent is Intent.CREATE_TASK:
        parts.title = (spans.title or "").strip() or None
        parts.remind_at_due = spans.remind_at_due
    elif intent is Intent.UPDATE_TASK:
        parts.title = (spans.new_title or "").strip() or None
    if intent is not Intent.CREATE_TASK:
        parts.target = _target(spans)
    return parts
