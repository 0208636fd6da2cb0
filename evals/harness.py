"""What every eval test does: understand a golden (cached), measure, record, hand it to deepeval."""

from __future__ import annotations

import contextlib

import pytest
from _pytest.mark.structures import ParameterSet
from deepeval.evaluate import assert_test

from evals.goldens import Golden, load
from evals.metrics import metrics_for
from evals.report import Collector
from evals.runner import Runner, backends, measure, test_case

COLLECTOR = Collector()
_RUNNER: Runner | None = None


def runner() -> Runner:
    global _RUNNER
    if _RUNNER is None:
        _RUNNER = Runner()
    return _RUNNER


def cases(skill: str) -> list[ParameterSet]:
    return [
        pytest.param(backend, golden, id=f"{backend}-{golden.id}")
        for backend in backends()
        for golden in load(skill)
    ]


def check(backend: str, golden: Golden) -> None:
    """Score one golden. A wrong answer is recorded and reported as xfail; the gate is the
    aggregate against the baseline at session end (see evals/report.py), not each golden."""
    outcome = runner().understand(backend, golden)
    case = test_case(golden, backend, outcome)
    failed = []
    for metric in measure(COLLECTOR, backend, golden, outcome):
        if not metric.is_successful():
            failed.append(f"{metric.__name__}: {metric.reason}")
    with contextlib.suppress(AssertionError):  # already recorded above, with its reasons
        assert_test(case, metrics_for(golden.skill, golden.expected), run_async=False)
    if outcome.error:
        pytest.xfail(f"{backend} failed on this golden: {outcome.error}")
    if failed:
        pytest.xfail("; ".join(failed))
