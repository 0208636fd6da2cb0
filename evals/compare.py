"""Pure comparison rules shared by the metrics: what counts as "the same" for each field."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any

from domain.recurrence import InvalidRecurrence, first_n_local
from evals.goldens import ExpectedUnderstanding
from graph import policy
from graph.context import Context
from skills.audit.decision import Outcome
from skills.understanding.types import (
    Intent,
    QuerySpec,
    RecurrenceSpec,
    TaskFields,
    TaskRef,
    Understanding,
)

CLARIFY_THRESHOLD = Context.clarify_threshold  # the graph's default
RECURRENCE_OCCURRENCES = 10
TASK_FIELDS: tuple[str, ...] = (
    "title", "notes", "priority", "tags", "due_date", "due_time", "shift_minutes",
)  # fmt: skip
DATETIME_TASK_FIELDS: tuple[str, ...] = ("due_date", "due_time")
_EDGE_PUNCT = " \t\n,.;:!?،۔؟'\"“”"
_ARTICLES = ("the ", "my ", "a ", "an ")
_JOINERS = ("to", "at", "on", "کو", "کا", "کی", "کے")


def normalize_text(value: str | None) -> str | None:
    """Titles and notes: NFC, inner whitespace collapsed, punctuation at the ends dropped."""
    if value is None:
        return None
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip(_EDGE_PUNCT)
    return text or None


def normalize_ref(value: str | None) -> str | None:
    """Task references are looked up fuzzily: case, articles and joining words do not matter."""
    text = normalize_text(value)
    if text is None:
        return None
    text = text.casefold()
    changed = True
    while changed:
        changed = False
        for article in _ARTICLES:
            if text.startswith(article):
                text, changed = text[len(article) :], True
        words = text.split(" ")
        if len(words) > 1 and words[-1] in _JOINERS:
            text, changed = " ".join(words[:-1]), True
        if len(words) > 1 and words[0] in _JOINERS:
            text, changed = " ".join(words[1:]), True
    return text or None


def field_value(task: TaskFields, name: str) -> Any:
    value = getattr(task, name)
    if name in ("title", "notes"):
        return normalize_text(value)
    if name == "tags":
        return list(value)
    return value


def is_set(value: Any) -> bool:
    return value is not None and value != []


def task_field_diffs(expected: TaskFields, actual: TaskFields) -> dict[str, tuple[Any, Any]]:
    diffs = {}
    for name in TASK_FIELDS:
        exp, act = field_value(expected, name), field_value(actual, name)
        if exp != act:
            diffs[name] = (exp, act)
    return diffs


def target_equal(expected: TaskRef | None, actual: TaskRef | None) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    if expected.all_tasks or actual.all_tasks:
        return expected.all_tasks == actual.all_tasks
    if expected.pronoun or actual.pronoun:
        return expected.pronoun == actual.pronoun
    return normalize_ref(expected.text) == normalize_ref(actual.text)


def occurrences(spec: RecurrenceSpec, tz: str) -> list[datetime]:
    return first_n_local(spec.rrule, spec.dtstart, RECURRENCE_OCCURRENCES, tz)


def recurrence_equal(
    expected: RecurrenceSpec | None, actual: RecurrenceSpec | None, tz: str
) -> tuple[bool, str]:
    """Same next 10 local occurrences (not the same RRULE text)."""
    if expected is None or actual is None:
        same = expected is None and actual is None
        return same, "" if same else f"expected recurrence {expected!r}, got {actual!r}"
    want = occurrences(expected, tz)
    try:
        got = occurrences(actual, tz)
    except (InvalidRecurrence, ValueError, TypeError) as exc:
        return False, f"invalid actual RRULE {actual.rrule!r}: {exc}"
    if want == got:
        return True, ""
    first = next((i for i, (w, g) in enumerate(zip(want, got, strict=False)) if w != g), None)
    if first is None:
        return False, f"{len(want)} occurrences expected, {len(got)} produced"
    return False, (
        f"occurrence {first + 1} differs: expected {want[first]:%Y-%m-%d %H:%M}, "
        f"got {got[first]:%Y-%m-%d %H:%M} ({actual.rrule} from {actual.dtstart:%Y-%m-%d %H:%M})"
    )


def needs_question(understanding: Understanding) -> bool:
    """Whether the graph asks before acting (the graph's own rule, graph/policy.py)."""
    return policy.needs_question(understanding, CLARIFY_THRESHOLD)


def outcome_for(understanding: Understanding) -> Outcome:
    """The outcome the graph records for one turn with no tool failure."""
    return policy.planned_outcome(understanding, CLARIFY_THRESHOLD)


def intent_matches(expected: Intent | list[Intent] | str | list[str], actual: str) -> bool:
    choices = expected if isinstance(expected, list) else [expected]
    return actual in {str(choice) for choice in choices}


def understanding_diffs(actual: dict, expected: dict, meta: dict) -> list[str]:
    """What an understanding got wrong against a golden's expectation (empty: exact match)."""
    want = ExpectedUnderstanding.model_validate(expected)
    got = Understanding.model_validate(actual)
    wrong = []
    if not intent_matches(want.intent, str(got.intent)):
        wrong.append(f"intent: expected {want.intent}, got {got.intent}")
    if meta.get("language") and got.language != meta["language"]:
        wrong.append(f"language: expected {meta['language']}, got {got.language}")
    if sorted(want.missing) != sorted(got.missing):
        wrong.append(f"missing: expected {want.missing}, got {got.missing}")
    if want.clarify != needs_question(got):
        wrong.append(f"clarify: expected {want.clarify}, got {not want.clarify}")
    if "task" in expected:
        diffs = task_field_diffs(want.task or TaskFields(), got.task)
        wrong += [f"task.{k}: expected {e!r}, got {a!r}" for k, (e, a) in diffs.items()]
    if "target" in expected and not target_equal(want.target, got.target):
        wrong.append(f"target: expected {want.target}, got {got.target}")
    if "reminder" in expected and want.reminder != got.reminder:
        wrong.append(f"reminder: expected {want.reminder}, got {got.reminder}")
    if "recurrence" in expected:
        same, why = recurrence_equal(want.recurrence, got.recurrence, meta["timezone"])
        if not same:
            wrong.append(f"recurrence: {why}")
    if "query" in expected and (want.query or QuerySpec()) != (got.query or QuerySpec()):
        wrong.append(f"query: expected {want.query}, got {got.query}")
    return wrong
