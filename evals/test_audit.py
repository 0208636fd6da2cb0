"""Goldens of the audit skill (goldens/audit.jsonl), gated in aggregate."""

from __future__ import annotations

import pytest

from evals.goldens import Golden
from evals.harness import cases, check


@pytest.mark.parametrize(("backend", "golden"), cases("audit"))
def test_audit(backend: str, golden: Golden) -> None:
    check(backend, golden)
