"""Goldens of the recurring skill (goldens/recurring.jsonl), gated in aggregate."""

from __future__ import annotations

import pytest

from evals.goldens import Golden
from evals.harness import cases, check


@pytest.mark.parametrize(("backend", "golden"), cases("recurring"))
def test_recurring(backend: str, golden: Golden) -> None:
    check(backend, golden)
