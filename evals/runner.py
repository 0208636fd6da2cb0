"""Run a backend once per golden (cached per session) and build a deepeval test case."""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass, field
from typing import Any

from deepeval.test_case import LLMTestCase

from evals.compare import outcome_for
from evals.goldens import Golden
from evals.metrics import metrics_for
from evals.report import Collector, Result
from skills.audit.decision import build_decision
from skills.understanding.factory import make_understander
from skills.understanding.types import Understander, Understanding

RULES = "rules"
OLLAMA = "ollama"


def backends() -> list[str]:
    """The rules backend always; the ollama backend too when OLLAMA_BASE_URL is set."""
    return [RULES, OLLAMA] if os.environ.get("OLLAMA_BASE_URL") else [RULES]


def make(backend: str) -> Understander:
    if backend == OLLAMA:
        kwargs: dict[str, Any] = {"ollama_base_url": os.environ["OLLAMA_BASE_URL"]}
        if os.environ.get("OLLAMA_MODEL"):
            kwargs["ollama_model"] = os.environ["OLLAMA_MODEL"]
        return make_understander(backend, **kwargs)
    return make_understander(backend)


@dataclass
class Outcome:
    understanding: Understanding | None
    error: str | None = None


@dataclass
class Runner:
    """One understander per backend, one call per golden, one private event loop for all."""

    _loop: asyncio.AbstractEventLoop = field(default_factory=asyncio.new_event_loop)
    _understanders: dict[str, Understander] = field(default_factory=dict)
    _cache: dict[tuple[str, str], Outcome] = field(default_factory=dict)

    def understand(self, backend: str, golden: Golden) -> Outcome:
        key = (backend, golden.id)
        if key not in self._cache:
            self._cache[key] = self._run(backend, golden)
        return self._cache[key]

    def _run(self, backend: str, golden: Golden) -> Outcome:
        if backend not in self._understanders:
            self._understanders[backend] = make(backend)
        understander = self._understanders[backend]
        try:
            result = self._loop.run_until_complete(
                understander.understand(golden.input, golden.context())
            )
            return Outcome(Understanding.model_validate(result))
        except Exception as exc:  # a crash on one golden is that golden's failure, not the run's
            return Outcome(None, f"{type(exc).__name__}: {exc}")

    def close(self) -> None:
        self._loop.close()


def actual_payload(golden: Golden, outcome: Outcome) -> dict[str, Any] | None:
    """What the metrics see: the understanding, or the audit decision built from it."""
    if outcome.understanding is None:
        return None
    if golden.skill == "audit":
        decision = build_decision(
            outcome.understanding, [], outcome=outcome_for(outcome.understanding)
        )
        return decision.model_dump(mode="json")
    return outcome.understanding.model_dump(mode="json")


def test_case(golden: Golden, backend: str, outcome: Outcome) -> LLMTestCase:
    actual = actual_payload(golden, outcome)
    return LLMTestCase(
        name=f"{backend}:{golden.id}",
        input=golden.input,
        actual_output=json.dumps(actual, ensure_ascii=False) if actual is not None else "",
        expected_output=json.dumps(golden.expected, ensure_ascii=False),
        metadata={
            "id": golden.id,
            "skill": golden.skill,
            "language": golden.language,
            "timezone": golden.timezone,
            "now": golden.now.isoformat(),
            "backend": backend,
            "error": outcome.error,
        },
        tags=[golden.skill, golden.language, backend, *golden.tags],
    )


def measure(collector: Collector, backend: str, golden: Golden, outcome: Outcome) -> list[Any]:
    """Score one golden with its skill's metrics and record every score; the measured metrics."""
    case = test_case(golden, backend, outcome)
    metrics = metrics_for(golden.skill, golden.expected)
    for metric in metrics:
        metric.measure(case)
        collector.add(
            Result(
                backend=backend,
                golden_id=golden.id,
                skill=golden.skill,
                language=golden.language,
                metric=metric.__name__,
                score=float(metric.score or 0.0),
                reason=outcome.error or metric.reason or "",
                input=golden.input,
                breakdown=metric.score_breakdown,
            )
        )
    return metrics
