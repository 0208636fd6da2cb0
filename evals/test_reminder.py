"""Goldens of the reminder skill (goldens/reminder.jsonl), gated in aggregate."""

from __future__ import annotations

import pytest

from evals.goldens import Golden
from evals.harness import cases, check


@pytest.mark.parametrize(("backend", "golden"), cases("reminder"))
def test_reminder(backend: str, golden: Golden) -> None:
    check(backend, golden)
