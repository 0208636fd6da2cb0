"""What the orchestrator does with an understanding before it looks at the user's tasks: answer,
act, ask, or ask to confirm. One rule, read by the graph's validate node and by the eval suite, so
the outcome the evals score is the one the graph records.
"""

from __future__ import annotations

from skills.audit.decision import Outcome
from skills.understanding import Intent, Understanding

ANSWERED = frozenset({Intent.QUERY_TASKS, Intent.HELP, Intent.UNKNOWN})


def planned_outcome(u: Understanding, threshold: float) -> Outcome:
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


def needs_question(u: Understanding, threshold: float) -> bool:
    return planned_outcome(u, threshold) in ("clarify", "confirm")
