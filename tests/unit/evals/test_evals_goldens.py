"""Every golden parses into the contract's models and the set covers what the issue asks."""

from __future__ import annotations

import json
import re
from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from domain.recurrence import first_n_local
from evals.goldens import GOLDEN_DIR, SKILLS, ExpectedUnderstanding, Golden, load_all, read_file

ARABIC = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture(scope="module")
def goldens() -> list[Golden]:
    return load_all()


def test_every_line_is_a_valid_golden() -> None:
    for skill in SKILLS:
        path = GOLDEN_DIR / f"{skill}.jsonl"
        rows = read_file(path)
        assert rows, path
        assert all(golden.skill == skill for golden in rows)
        assert len(rows) == len([ln for ln in path.read_text().splitlines() if ln.strip()])


def test_ids_unique(goldens: list[Golden]) -> None:
    ids = Counter(golden.id for golden in goldens)
    assert [i for i, n in ids.items() if n > 1] == []


def test_size_and_language_mix(goldens: list[Golden]) -> None:
    assert len(goldens) >= 300
    urdu = sum(golden.language == "ur" for golden in goldens)
    assert urdu * 3 >= len(goldens)


def test_roman_urdu_has_a_hundred_goldens_written_in_latin_letters(goldens: list[Golden]) -> None:
    roman = [golden for golden in goldens if golden.language == "ur-Latn"]
    assert len(roman) >= 100
    assert not any(ARABIC.search(golden.input) for golden in roman)


def test_language_follows_the_script(goldens: list[Golden]) -> None:
    for golden in goldens:
        assert (golden.language == "ur") == bool(ARABIC.search(golden.input)), golden.id


def test_expected_recurrences_expand(goldens: list[Golden]) -> None:
    for golden in goldens:
        if golden.skill == "audit":
            continue
        expected = golden.parsed_expected()
        assert isinstance(expected, ExpectedUnderstanding)
        if expected.recurrence is not None:
            assert first_n_local(expected.recurrence.rrule, expected.recurrence.dtstart, 3)


def test_first_occurrence_is_due_and_not_before_now(goldens: list[Golden]) -> None:
    for golden in goldens:
        expected = golden.parsed_expected()
        if not isinstance(expected, ExpectedUnderstanding) or expected.recurrence is None:
            continue
        local_now = golden.now.astimezone(ZoneInfo(golden.timezone)).replace(tzinfo=None)
        start = expected.recurrence.dtstart
        assert start >= local_now.replace(second=0, microsecond=0), golden.id
        assert expected.task is not None, golden.id
        assert expected.task.due_date == start.date(), golden.id


@pytest.mark.parametrize(
    "tag",
    [
        "dst",
        "month-end",
        "year-end",
        "12am",
        "12pm",
        "no-ampm",
        "this-weekday-today",
        "ordinal",
        "interval",
        "until",
        "count",
        "priority",
        "tag",
        "pronoun",
        "target",
        "bulk",
        "bare",
        "missing-title",
        "missing-target",
        "missing-when",
        "utc-now",
    ],
)
def test_hard_cases_are_covered_in_both_languages(goldens: list[Golden], tag: str) -> None:
    languages = {golden.language for golden in goldens if tag in golden.tags}
    assert languages >= {"en", "ur"}, tag


def test_invalid_golden_is_rejected(tmp_path) -> None:
    bad = {
        "id": "x",
        "skill": "task",
        "language": "en",
        "now": "2025-01-01T09:00:00",
        "timezone": "UTC",
        "locale": "en",
        "input": "add x",
        "expected": {"intent": "nope"},
    }
    path = tmp_path / "task.jsonl"
    path.write_text(json.dumps(bad) + "\n")
    with pytest.raises(ValueError, match="invalid golden"):
        read_file(path)
