"""The committed baseline: per-skill, per-language, per-metric scores of the rules backend.

A run fails when a score drops below its baseline; the baseline only moves up:

    python -m evals.baseline --update     # after `deepeval test run evals/`, raise the baseline
    python -m evals.baseline              # show baseline vs the last run

`--update` reads the last run's scores (`evals/.last_run.json`, written at session end) and
refuses, changing nothing, when any of them is below the committed baseline.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

Scores = dict[str, dict[str, dict[str, float]]]  # skill -> language -> metric -> score

BASELINE_PATH = Path(__file__).parent / "baseline.json"
LAST_RUN_PATH = Path(__file__).parent / ".last_run.json"
EPSILON = 1e-9


def load(path: Path = BASELINE_PATH) -> Scores:
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get("scores", {})


def save(scores: Scores, path: Path = BASELINE_PATH) -> None:
    body = {
        "backend": "rules",
        "note": "only moves up: python -m evals.baseline --update",
        "scores": scores,
    }
    path.write_text(json.dumps(body, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def cells(scores: Scores) -> dict[tuple[str, str, str], float]:
    return {
        (skill, lang, metric): value
        for skill, by_lang in scores.items()
        for lang, by_metric in by_lang.items()
        for metric, value in by_metric.items()
    }


def regressions(current: Scores, baseline: Scores) -> list[tuple[str, str, str, float, float]]:
    """(skill, language, metric, baseline, current) for every score below its baseline."""
    now = cells(current)
    return [
        (*key, base, now[key])
        for key, base in sorted(cells(baseline).items())
        if key in now and now[key] < base - EPSILON
    ]


def floor4(value: float) -> float:
    """Stored scores are rounded *down*, so a run with the same result never reads as a drop."""
    return math.floor(value * 10_000 + 1e-6) / 10_000


def raised(current: Scores, baseline: Scores) -> Scores:
    """The new baseline: the maximum of both, cell by cell; refuses if anything went down."""
    drops = regressions(current, baseline)
    if drops:
        lines = ", ".join(f"{s}/{lang}/{m} {b:.4f}->{c:.4f}" for s, lang, m, b, c in drops)
        raise ValueError(f"refusing to lower the baseline: {lines}")
    merged: Scores = json.loads(json.dumps(baseline))
    for (skill, lang, metric), value in cells(current).items():
        slot = merged.setdefault(skill, {}).setdefault(lang, {})
        slot[metric] = max(floor4(value), slot.get(metric, 0.0))
    return merged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.baseline", description=__doc__)
    parser.add_argument("--update", action="store_true", help="raise the baseline to the last run")
    args = parser.parse_args(argv)
    if not LAST_RUN_PATH.exists():
        print("no last run: run `deepeval test run evals/` first", file=sys.stderr)
        return 2
    current: Scores = json.loads(LAST_RUN_PATH.read_text(encoding="utf-8"))["complete_scores"]
    baseline = load()
    if not args.update:
        for skill, lang, metric, base, now in regressions(current, baseline):
            print(f"below baseline: {skill}/{lang}/{metric}: {now:.4f} < {base:.4f}")
        return 0
    try:
        save(raised(current, baseline))
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"baseline written to {BASELINE_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
