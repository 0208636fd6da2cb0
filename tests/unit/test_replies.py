"""Reply wording: three catalogues that say the same things, singular counts, diary order."""

from __future__ import annotations

import re

import pytest

from graph.replies import TEXT, by_time, minutes_phrase, say

_FIELD = re.compile(r"{(\w+)}")


@pytest.mark.parametrize("lang", ["ur", "ur-Latn"])
def test_every_message_exists_in_every_language_with_the_same_blanks(lang: str) -> None:
    english = TEXT["en"]
    assert set(TEXT[lang]) == set(english)
    for key, text in TEXT[lang].items():
        assert set(_FIELD.findall(text)) == set(_FIELD.findall(english[key])), key


@pytest.mark.parametrize(
    ("lang", "count", "expected"),
    [
        ("en", 1, "You have 1 task:"),
        ("en", 3, "You have 3 tasks:"),
        ("ur-Latn", 1, "Aap ka 1 kaam hai:"),
        ("ur-Latn", 2, "Aap ke 2 kaam hain:"),
        ("ur", 2, "آپ کے 2 کام ہیں:"),
    ],
)
def test_counts_read_as_words_not_machine_plurals(lang: str, count: int, expected: str) -> None:
    reply = say(lang, "listed", count=count, lines="…")
    assert reply.startswith(expected)
    assert "(s)" not in reply


def test_deleting_one_of_many_is_singular() -> None:
    assert say("en", "deleted_many", count=1) == "Deleted 1 task."


def test_roman_urdu_minutes() -> None:
    assert [minutes_phrase(m, "ur-Latn") for m in (30, 120, 2880)] == [
        "30 minute", "2 ghante", "2 din",
    ]  # fmt: skip


def test_a_list_reads_soonest_first_and_undated_last() -> None:
    tasks = [
        {"title": "undated"},
        {"title": "friday", "due": "2026-03-20T09:00:00+05:00"},
        {"title": "tomorrow", "due": "2026-03-14T04:00:00+00:00"},
    ]
    assert [t["title"] for t in by_time(tasks)] == ["tomorrow", "friday", "undated"]
