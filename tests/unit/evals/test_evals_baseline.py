"""The baseline gate: a drop fails, and the baseline only ever moves up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals import baseline


def scores(value: float, metric: str = "exact_match") -> baseline.Scores:
    return {"task": {"en": {metric: value}}}


def test_drop_is_a_regression() -> None:
    drops = baseline.regressions(scores(0.90), scores(0.95))
    assert drops == [("task", "en", "exact_match", 0.95, 0.90)]
    assert baseline.regressions(scores(0.95), scores(0.95)) == []
    assert baseline.regressions(scores(0.99), scores(0.95)) == []


def test_cells_missing_from_the_run_are_not_judged() -> None:
    assert baseline.regressions({}, scores(0.95)) == []


def test_raise_never_lowers() -> None:
    with pytest.raises(ValueError, match="refusing to lower"):
        baseline.raised(scores(0.90), scores(0.95))
    assert baseline.raised(scores(0.97), scores(0.95)) == scores(0.97)
    merged = baseline.raised(scores(0.5, "clarification"), scores(0.95))
    assert merged == {"task": {"en": {"exact_match": 0.95, "clarification": 0.5}}}


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    base, last = tmp_path / "baseline.json", tmp_path / ".last_run.json"
    monkeypatch.setattr(baseline, "BASELINE_PATH", base)
    monkeypatch.setattr(baseline, "LAST_RUN_PATH", last)
    monkeypatch.setattr(baseline.load, "__defaults__", (base,))
    monkeypatch.setattr(baseline.save, "__defaults__", (base,))
    return base, last


def test_update_command_moves_up_and_refuses_down(paths: tuple[Path, Path]) -> None:
    _base, last = paths
    last.write_text(json.dumps({"complete_scores": scores(0.9)}))
    assert baseline.main(["--update"]) == 0
    assert baseline.load() == scores(0.9)
    last.write_text(json.dumps({"complete_scores": scores(0.8)}))
    assert baseline.main(["--update"]) == 1
    assert baseline.load() == scores(0.9)  # unchanged
    last.write_text(json.dumps({"complete_scores": scores(0.93)}))
    assert baseline.main(["--update"]) == 0
    assert baseline.load() == scores(0.93)


def test_update_without_a_run(paths: tuple[Path, Path]) -> None:
    assert baseline.main(["--update"]) == 2


def test_stored_scores_are_rounded_down_so_the_same_run_passes() -> None:
    current = scores(0.962264)
    stored = baseline.raised(current, {})
    assert stored == scores(0.9622)
    assert baseline.regressions(current, stored) == []
