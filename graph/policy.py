"""Every threshold the orchestrator decides by, in one place, and the rule that turns an
understanding into an outcome before the user's tasks are looked at: answer, act, ask, or ask to
confirm. Read by the graph's decide step and by the eval suite, so the outcome the evals score is
the one the graph records.
"""

from __future__ import annotations

from dataclasses import dataclass

from skills.audit.decision import Outcome
from skills.understanding import Intent, Understanding

ANSWERED = frozenset({Intent.QUERY_TASKS, Intent.HELP, Intent.UNKNOWN})


@dataclass(frozen=True, slots=True)
class Policy:
    # Below this the graph says what it would do and asks first (settings: CLARIFY_THRESHOLD).
    clarify_threshold: float = 0.6
    # A reply to a question that parses as a command this sure is a new command, not an answer.
    new_command_confidence: float = 0.85
    # A reference scoring this well (rapidfuzz WRatio, 0-100) names a task...
    match_score: float = 75
    # ...unless a rival scores within this margin: then the reference is ambiguous.
    ambiguity_margin: float = 8
    # How many candidates Postgres hands back for one reference (by trigram similarity).
    candidates: int = 20
    # How many choices a "which one?" question lists.
    choices: int = 5
    # A bound on one bulk change ("delete all my tasks"): far beyond any person's list.
    bulk_limit: int = 5_000


DEFAULT = Policy()


def planned_outcome(u: Understanding, threshold: float = DEFAULT.clarify_threshold) -> Outcome:
    """`answered` (help, queries), `clarify` (something missing, or too unsure to act),
    `confirm` (a bulk change), else `executed`."""
    if u.intent in ANSWERED and not u.missing:
        return "answered"
    if u.missing:
        return "clarify"
    if u.target is not None and u.target.all_tasks:
        return "confirm"  # asked whatever the confidence: the question says what will happen
    if u.confidence < threshold:
        return "clarify"
    return "executed"


def needs_question(u: Understanding, threshold: float = DEFAULT.clarify_threshold) -> bool:
    return planned_outcome(u, threshold) in ("clarify", "confirm")
