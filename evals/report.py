"""Aggregate per-golden metric results, print a table per skill and language, check the baseline."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from evals import baseline
from evals.goldens import SKILLS, load

# every written form the understanding reads (Roman Urdu is its own row and baseline cell)
LANGUAGES: tuple[str, ...] = ("en", "ur", "ur-Latn")

# metric class name -> column key (FieldPrecisionRecall gives two micro-averaged columns)
COLUMNS: dict[str, str] = {
    "IntentAccuracy": "intent_accuracy",
    "FieldPrecisionRecall": "field_f1",
    "DateTimeExactMatch": "datetime_exact",
    "RecurrenceEquivalence": "recurrence_equiv",
    "ClarificationCorrectness": "clarification",
    "ExactMatch": "exact_match",
}
ORDER = (
    "intent_accuracy",
    "field_precision",
    "field_recall",
    "datetime_exact",
    "recurrence_equiv",
    "clarification",
    "exact_match",
)
TARGETS = {"intent_accuracy": 0.95, "exact_match": 0.90}


@dataclass
class Result:
    backend: str
    golden_id: str
    skill: str
    language: str
    metric: str
    score: float
    reason: str
    input: str
    breakdown: dict = field(default_factory=dict)


@dataclass
class Collector:
    results: list[Result] = field(default_factory=list)

    def add(self, result: Result) -> None:
        self.results.append(result)

    def backends(self) -> list[str]:
        return sorted({r.backend for r in self.results}, key=lambda b: (b != "rules", b))

    def scores(self, backend: str) -> baseline.Scores:
        sums: dict[tuple[str, str, str], list[float]] = defaultdict(list)
        micro: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
        for r in self.results:
            if r.backend != backend:
                continue
            sums[(r.skill, r.language, COLUMNS[r.metric])].append(r.score)
            if r.metric == "FieldPrecisionRecall":
                acc = micro[(r.skill, r.language)]
                for cell in r.breakdown.get("fields", {}).values():
                    acc[0] += cell["tp"]
                    acc[1] += cell["fp"]
                    acc[2] += cell["fn"]
        out: baseline.Scores = {}
        for (skill, lang, column), values in sums.items():
            if column == "field_f1":
                continue
            out.setdefault(skill, {}).setdefault(lang, {})[column] = sum(values) / len(values)
        for (skill, lang), (tp, fp, fn) in micro.items():
            slot = out.setdefault(skill, {}).setdefault(lang, {})
            slot["field_precision"] = tp / (tp + fp) if tp + fp else 1.0
            slot["field_recall"] = tp / (tp + fn) if tp + fn else 1.0
        return out

    def complete_scores(self, backend: str) -> baseline.Scores:
        """Only cells where every golden of that skill and language ran (a full run)."""
        ran: dict[tuple[str, str], set[str]] = defaultdict(set)
        for r in self.results:
            if r.backend == backend:
                ran[(r.skill, r.language)].add(r.golden_id)
        scores = self.scores(backend)
        complete: baseline.Scores = {}
        for skill in SKILLS:
            for lang in LANGUAGES:
                wanted = {g.id for g in load(skill) if g.language == lang}
                if wanted and ran.get((skill, lang)) == wanted and lang in scores.get(skill, {}):
                    complete.setdefault(skill, {})[lang] = scores[skill][lang]
        return complete

    def overall(self, backend: str, metric: str) -> dict[str, float]:
        """Per language over all skills: the targets are stated per language."""
        by_lang: dict[str, list[float]] = defaultdict(list)
        for r in self.results:
            if r.backend == backend and COLUMNS[r.metric] == metric:
                by_lang[r.language].append(r.score)
        return {lang: sum(v) / len(v) for lang, v in sorted(by_lang.items())}

    def failures(self, backend: str) -> dict[str, list[str]]:
        """golden id -> reasons of its failing ExactMatch (the summary of what went wrong)."""
        out: dict[str, list[str]] = {}
        for r in self.results:
            if r.backend == backend and r.metric == "ExactMatch" and r.score < 1.0:
                out[r.golden_id] = [r.input, r.reason]
        return out


def _cell(values: list[float | None]) -> str:
    return " / ".join("  -  " if v is None else f"{v:.3f}" for v in values)


def render(collector: Collector, base: baseline.Scores) -> str:
    backends = collector.backends()
    per_backend = {b: collector.scores(b) for b in backends}
    header = "backends: " + " / ".join(backends) + "   (baseline in [brackets], rules only)"
    lines = [header]
    present = {
        column
        for scores in per_backend.values()
        for by_lang in scores.values()
        for by_metric in by_lang.values()
        for column in by_metric
    }
    columns = [c for c in ORDER if c in present]
    width = max(17, 8 * len(backends) + 1)
    lines.append(f"{'skill':<10}{'lang':<6}" + "".join(f"{c:>{width}}" for c in columns))
    for skill in SKILLS:
        for lang in LANGUAGES:
            row = [per_backend[b].get(skill, {}).get(lang) for b in backends]
            if not any(row):
                continue
            cells = []
            for column in columns:
                values = [r.get(column) if r else None for r in row]
                text = _cell(values) if any(v is not None for v in values) else ""
                base_value = base.get(skill, {}).get(lang, {}).get(column)
                if base_value is not None and text:
                    text += f" [{base_value:.3f}]"
                cells.append(f"{text:>{width}}")
            lines.append(f"{skill:<10}{lang:<6}" + "".join(cells))
    for metric, target in TARGETS.items():
        for b in backends:
            overall = collector.overall(b, metric)
            shown = ", ".join(
                f"{lang} {v:.3f}{' ok' if v >= target else ' BELOW'}" for lang, v in overall.items()
            )
            lines.append(f"{b} {metric} over all skills (target {target:.2f}): {shown}")
    return "\n".join(lines)


def render_failures(collector: Collector, backend: str = "rules", limit: int = 400) -> str:
    failures = collector.failures(backend)
    lines = [f"{backend}: {len(failures)} golden(s) not an exact match"]
    for golden_id, (text, reason) in sorted(failures.items())[:limit]:
        lines.append(f"  {golden_id}: {text!r}\n      {reason}")
    return "\n".join(lines)


@dataclass
class Verdict:
    text: str
    regressions: list[tuple[str, str, str, float, float]]


def finish(collector: Collector) -> Verdict:
    """Write the last run, print-ready text, and the rules backend's drops below the baseline."""
    base = baseline.load()
    complete = collector.complete_scores("rules")
    drops = baseline.regressions(complete, base)
    baseline.LAST_RUN_PATH.write_text(
        json.dumps(
            {
                "complete_scores": complete,
                "scores": {b: collector.scores(b) for b in collector.backends()},
                "failures": {b: collector.failures(b) for b in collector.backends()},
                "results": [asdict(r) for r in collector.results],
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    parts = [render(collector, base), render_failures(collector)]
    if drops:
        parts.append(
            "BELOW BASELINE (the run fails):\n"
            + "\n".join(f"  {s}/{lang}/{m}: {c:.4f} < {b:.4f}" for s, lang, m, b, c in drops)
        )
    elif not base:
        parts.append("no baseline yet: create it with `python -m evals.baseline --update`")
    return Verdict("\n\n".join(parts), drops)
