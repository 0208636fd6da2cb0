"""Resolving "buy milk" or "the dentist" to one of a few candidate tasks by fuzzy match.

Postgres finds the candidates (trigram similarity, scoped by owner: `TaskStore.search`); this
module only ranks those few, so a reference costs the same at 10 tasks as at 3,000.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process, utils

from graph.policy import DEFAULT, Policy

_FILLER = re.compile(
    r"^(?:the|my|a|an|task|todo|item)\s+|\s+(?:task|todo|item|one)$"
    r"|(?:\s|^)(?:والا|والی|والے|کام)(?=\s|$)",
    re.IGNORECASE,
)


@dataclass
class Resolution:
    task: dict[str, Any] | None = None
    candidates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ambiguous(self) -> bool:
        return self.task is None and len(self.candidates) > 1


def clean(text: str) -> str:
    """The words that name the task, without 'the', 'task', 'والا' and the like."""
    previous = None
    while previous != text:
        previous, text = text, _FILLER.sub(" ", text).strip()
    return text


def resolve(text: str, tasks: list[dict[str, Any]], policy: Policy = DEFAULT) -> Resolution:
    query = clean(text)
    if not query or not tasks:
        return Resolution()
    titles = {i: t["title"] for i, t in enumerate(tasks)}
    exact = [tasks[i] for i, title in titles.items() if title.casefold() == query.casefold()]
    if len(exact) == 1:
        return Resolution(task=exact[0])
    scored = process.extract(
        query, titles, scorer=fuzz.WRatio, processor=utils.default_process, limit=policy.choices,
        score_cutoff=policy.match_score,
    )  # fmt: skip
    if not scored:
        return Resolution()
    best_score = scored[0][1]
    close = [tasks[i] for _, score, i in scored if best_score - score < policy.ambiguity_margin]
    if len(close) == 1:
        return Resolution(task=close[0])
    return Resolution(candidates=close)


def pick(answer: str, candidates: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The user's reply to "which one?": a number (Western or Urdu digits) or a name."""
    digits = answer.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")).strip(" .)")
    if digits.isdigit() and 1 <= int(digits) <= len(candidates):
        return candidates[int(digits) - 1]
    return resolve(answer, candidates).task
