"""Model evals: the rules backend and a language model side by side on a fixed subset of goldens.

    .venv/bin/python -m evals.model_evals     # SmolLM2-135M on CPU (evals/ollama_bridge.py)
    OLLAMA_BASE_URL=http://host:11434 OLLAMA_MODEL=qwen2.5:7b-instruct \
        .venv/bin/python -m evals.model_evals  # a real Ollama

Not a gate: it always exits 0 once it has scored every golden (2 when it cannot start), and
writes nothing the suite reads. The quality gates (`deepeval test run evals/`, baseline.json)
stay on the rules backend; see evals/README.md for what the small model scores and why.

The subset is fixed by rule, not by hand: per skill and language, a few goldens spread evenly
over the ids in order, so it follows the goldens files as they grow and names every skill and
every language they hold. Every golden goes through the same metrics as the suite
(evals/metrics.py) on both backends; the table is the suite's, then one line per golden that
either backend gets wrong, with both readings.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from evals import offline
from evals.goldens import SKILLS, Golden, load
from evals.report import Collector, render
from evals.runner import Outcome, measure
from skills.understanding.factory import make_understander
from skills.understanding.types import Understander, Understanding

TOTAL = 40  # about this many goldens: 5 skills x 3 languages (en, ur, ur-Latn) x 3 = 45
# A model gets this long per golden (every attempt included): long enough for a 135M model on
# one busy core, so its score is its own and not the machine's.
BUDGET_SECONDS = 120.0
RULES, MODEL = "rules", "model"


def subset(per_cell: int | None = None) -> list[Golden]:
    """`per_cell` goldens per (skill, language), evenly spaced over the sorted ids; by default
    as many as make about TOTAL in all."""
    cells: list[list[Golden]] = []
    for skill in SKILLS:
        by_language: dict[str, list[Golden]] = defaultdict(list)
        for golden in sorted(load(skill), key=lambda g: g.id):
            by_language[golden.language].append(golden)
        cells += [by_language[lang] for lang in sorted(by_language)]
    per_cell = per_cell or max(1, round(TOTAL / max(1, len(cells))))
    chosen: list[Golden] = []
    for goldens in cells:
        n = min(per_cell, len(goldens))
        chosen += [goldens[i * len(goldens) // n] for i in range(n)]
    return chosen


@contextlib.contextmanager
def model_server() -> Iterator[tuple[str, str]]:
    """(base URL, model): the configured Ollama, or the small model started here."""
    if url := os.environ.get("OLLAMA_BASE_URL"):
        yield url, os.environ.get("OLLAMA_MODEL") or "qwen2.5:7b-instruct"
        return
    from evals import ollama_bridge

    # Run on their own, the evals may answer on every idle core (the smoke tests use one).
    threads = ollama_bridge.answer_threads(default=ollama_bridge.idle_cores())
    print(f"starting {ollama_bridge.MODEL} on llama.cpp, {threads} answer thread(s)", flush=True)
    with ollama_bridge.running(threads=threads) as bridge:
        yield bridge.url, ollama_bridge.MODEL


async def _understand(understander: Understander, golden: Golden) -> tuple[Outcome, float]:
    started = time.perf_counter()
    try:
        result = await understander.understand(golden.input, golden.context())
        outcome = Outcome(Understanding.model_validate(result))
    except Exception as exc:  # one golden's failure, not the run's
        outcome = Outcome(None, f"{type(exc).__name__}: {exc}")
    return outcome, time.perf_counter() - started


def _score(collector: Collector, backend: str, golden: Golden, outcome: Outcome) -> str:
    """Measure one golden; return its ExactMatch reason (or the error)."""
    reason = ""
    for metric in measure(collector, backend, golden, outcome):
        if metric.__name__ == "ExactMatch" and not metric.is_successful():
            reason = outcome.error or metric.reason or "not an exact match"
    return reason


async def evaluate(
    goldens: list[Golden], base_url: str, model: str, *, progress: bool = True
) -> dict[str, Any]:
    rules = make_understander("rules")
    llm = make_understander(
        "ollama", ollama_base_url=base_url, ollama_model=model, ollama_budget_seconds=BUDGET_SECONDS
    )
    collector = Collector()
    cases: list[dict[str, Any]] = []
    seconds: list[float] = []
    if goldens:  # unscored: the first message makes the server read the ~3,000-token prompt,
        await _understand(llm, goldens[0])  # which it then keeps cached for every golden
    for n, golden in enumerate(goldens, 1):
        rules_outcome, _ = await _understand(rules, golden)
        model_outcome, took = await _understand(llm, golden)
        seconds.append(took)
        case = {
            "id": golden.id,
            "skill": golden.skill,
            "language": golden.language,
            "input": golden.input,
            RULES: _score(collector, RULES, golden, rules_outcome),
            MODEL: _score(collector, MODEL, golden, model_outcome),
            "model_seconds": round(took, 2),
        }
        cases.append(case)
        if progress:
            verdict = "ok" if not case[MODEL] else "wrong" if not model_outcome.error else "error"
            print(f"[{n}/{len(goldens)}] {golden.id} model {verdict} in {took:.1f} s", flush=True)
    return {"collector": collector, "cases": cases, "seconds": seconds}


def render_cases(cases: list[dict[str, Any]]) -> str:
    """One block per golden that either backend gets wrong: what each read, against expected."""
    lines = []
    for case in cases:
        if not case[RULES] and not case[MODEL]:
            continue
        lines.append(f"{case['id']} ({case['skill']}, {case['language']}): {case['input']!r}")
        for backend in (RULES, MODEL):
            lines.append(f"    {backend:<6} {case[backend] or 'exact match'}")
    return "\n".join(lines) or "every golden an exact match on both backends"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="rules vs a language model on ~40 goldens")
    parser.add_argument("--per-cell", type=int, help=f"goldens per skill+lang (~{TOTAL} in all)")
    parser.add_argument("--json", type=Path, help="also write the scores and cases here")
    args = parser.parse_args(argv)
    offline.apply()  # loopback and OLLAMA_BASE_URL's host only, no telemetry
    goldens = subset(args.per_cell)
    started = time.perf_counter()
    try:
        with model_server() as (base_url, model):
            print(f"model evals: {len(goldens)} goldens, rules vs {model} at {base_url}")
            run = asyncio.run(evaluate(goldens, base_url, model))
    except RuntimeError as exc:  # the bridge could not start, the weights are missing, ...
        print(f"model evals could not start: {exc}", file=sys.stderr)
        return 2
    collector: Collector = run["collector"]
    wall = time.perf_counter() - started
    seconds = sorted(run["seconds"])
    print()
    print(render(collector, {}).replace("rules / model   (baseline in [brackets], rules only)",
                                        f"rules / model ({model})"))  # fmt: skip
    print()
    print(render_cases(run["cases"]))
    print()
    print(
        f"{len(goldens)} goldens in {wall:.0f} s; model per golden: median "
        f"{seconds[len(seconds) // 2]:.1f} s, max {seconds[-1]:.1f} s"
    )
    if args.json:
        payload = {
            "model": model,
            "base_url": base_url,
            "seconds": round(wall, 1),
            "scores": {b: collector.scores(b) for b in (RULES, MODEL)},
            "cases": run["cases"],
        }
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
