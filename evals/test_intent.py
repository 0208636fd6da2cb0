"""Goldens of the intent skill (goldens/intent.jsonl), gated in aggregate."""

from __future__ import annotations

import pytest

from evals.goldens import Golden
from evals.harness import cases, check


@pytest.mark.parametrize(("backend", "golden"), cases("intent"))
def test_intent(backend: str, golden: Golden) -> None:
    check(backend, golden)
