"""Goldens of the task skill (goldens/task.jsonl), gated in aggregate."""

from __future__ import annotations

import pytest

from evals.goldens import Golden
from evals.harness import cases, check


@pytest.mark.parametrize(("backend", "golden"), cases("task"))
def test_task(backend: str, golden: Golden) -> None:
    check(backend, golden)
