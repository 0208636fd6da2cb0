"""Recurrences, compared by their occurrences (domain.recurrence.first_n_local), not RRULE text."""

from __future__ import annotations

from datetime import datetime

import pytest
from nlu_support import NEW_YORK, ctx_at, parse

from domain.recurrence import first_n_local, localize


def at(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute)


# now = Friday 2026-03-13 10:00 (Karachi); 09:00 today has passed
CASES: list[tuple[str, list[datetime]]] = [
    ("water plants every day", [at(3, 14), at(3, 15), at(3, 16), at(3, 17)]),
    ("water plants daily", [at(3, 14), at(3, 15), at(3, 16), at(3, 17)]),
    ("standup daily at 9:30", [at(3, 14, 9, 30), at(3, 15, 9, 30), at(3, 16, 9, 30)]),
    ("gym every monday", [at(3, 16), at(3, 23), at(3, 30), at(4, 6)]),
    ("gym every monday and friday at 6pm", [at(3, 13, 18), at(3, 16, 18), at(3, 20, 18)]),
    ("gym every mon, wed, fri at 7am", [at(3, 16, 7), at(3, 18, 7), at(3, 20, 7)]),
    ("standup every weekday at 8am", [at(3, 16, 8), at(3, 17, 8), at(3, 18, 8), at(3, 19, 8)]),
    ("relax every weekend", [at(3, 14), at(3, 15), at(3, 21), at(3, 22)]),
    ("review every week", [at(3, 14), at(3, 21), at(3, 28), at(4, 4)]),
    ("review weekly", [at(3, 14), at(3, 21), at(3, 28)]),
    ("review every other week", [at(3, 14), at(3, 28), at(4, 11)]),
    ("water plants every other tuesday", [at(3, 17), at(3, 31), at(4, 14)]),
    ("water plants every 3 days", [at(3, 14), at(3, 17), at(3, 20), at(3, 23)]),
    ("stretch every 3 hours", [at(3, 13, 11), at(3, 13, 14), at(3, 13, 17)]),
    ("medicine every 12 hours starting at 7pm", [at(3, 13, 19), at(3, 14, 7), at(3, 14, 19)]),
    ("pay fee every month", [at(3, 14), at(4, 14), at(5, 14)]),
    ("pay rent every 27th", [at(3, 27), at(4, 27), at(5, 27)]),
    ("pay rent every 1st at 9am", [at(4, 1), at(5, 1), at(6, 1)]),
    ("pay fee every 2 months on the 15th", [at(3, 15), at(5, 15), at(7, 15)]),
    ("book club every 2nd monday", [at(4, 13), at(5, 11), at(6, 8)]),
    ("book club every last friday", [at(3, 27), at(4, 24), at(5, 29)]),
    ("invoice on the last day of the month", [at(3, 31), at(4, 30), at(5, 31), at(6, 30)]),
    ("renew domain every year", [at(3, 14), at(3, 14, year=2027), at(3, 14, year=2028)]),
    ("send card every jan 5", [at(1, 5, year=2027), at(1, 5, year=2028)]),
    ("jog every morning", [at(3, 14, 9), at(3, 15, 9)]),
    ("walk the dog every evening", [at(3, 13, 18), at(3, 14, 18)]),
    ("walk the dog every evening at 7", [at(3, 13, 19), at(3, 14, 19)]),
    ("read every night", [at(3, 13, 21), at(3, 14, 21)]),
    ("weekly review every monday starting next month", [at(4, 6), at(4, 13)]),
    ("pills every day 5 times", [at(3, 14), at(3, 15), at(3, 16), at(3, 17), at(3, 18)]),
    ("gym every monday until april 1", [at(3, 16), at(3, 23), at(3, 30)]),
    ("gym every monday for 3 weeks", [at(3, 16), at(3, 23), at(3, 30)]),
    # Urdu
    ("ہر روز ورزش کرنا", [at(3, 14), at(3, 15), at(3, 16)]),
    ("روزانہ صبح 7 بجے ورزش کرنا", [at(3, 14, 7), at(3, 15, 7), at(3, 16, 7)]),
    ("ہر اتوار شام 7 بجے امی کو فون کرنا", [at(3, 15, 19), at(3, 22, 19), at(3, 29, 19)]),
    ("ہر پیر اور جمعہ شام 6 بجے جم جانا", [at(3, 13, 18), at(3, 16, 18), at(3, 20, 18)]),
    ("ہر کام کے دن صبح 8 بجے میٹنگ", [at(3, 16, 8), at(3, 17, 8), at(3, 18, 8)]),
    ("ہر ہفتے رپورٹ بھیجنا", [at(3, 14), at(3, 21), at(3, 28)]),
    ("ہر ہفتے کو بازار جانا", [at(3, 14), at(3, 21), at(3, 28)]),  # ہفتے کو = Saturdays
    ("ہر دوسرے ہفتے رپورٹ بھیجنا", [at(3, 14), at(3, 28), at(4, 11)]),
    ("ہر 3 دن پودوں کو پانی دینا", [at(3, 14), at(3, 17), at(3, 20)]),
    ("ہر 3 گھنٹے پانی پینا", [at(3, 13, 11), at(3, 13, 14), at(3, 13, 17)]),
    ("ہر مہینے فیس دینا", [at(3, 14), at(4, 14), at(5, 14)]),
    ("ہر مہینے کی 27 تاریخ کو کرایہ دینا", [at(3, 27), at(4, 27), at(5, 27)]),
    ("ہر مہینے کی ۱ تاریخ کو کرایہ دینا", [at(4, 1), at(5, 1), at(6, 1)]),
    ("ہر مہینے کے دوسرے پیر کو میٹنگ", [at(4, 13), at(5, 11), at(6, 8)]),
    ("مہینے کی آخری تاریخ کو بل دینا", [at(3, 31), at(4, 30), at(5, 31)]),
    ("ہر سال گاڑی کی انشورنس", [at(3, 14), at(3, 14, year=2027)]),
    ("ہر شام سیر کرنا", [at(3, 13, 18), at(3, 14, 18)]),
    ("ہر رات کتاب پڑھنا", [at(3, 13, 21), at(3, 14, 21)]),
    ("ہر پیر اپریل تک میٹنگ", [at(3, 16), at(3, 23), at(3, 30)]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_occurrences(text: str, expected: list[datetime]) -> None:
    rec = parse(text).recurrence
    assert rec is not None, text
    got = first_n_local(rec.rrule, rec.dtstart, n=len(expected) + 3)
    if "5 times" in text or "بار" in text or "until" in text or "for 3" in text or "تک" in text:
        assert got == expected  # bounded series: nothing after the last one
    else:
        assert got[: len(expected)] == expected


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("water plants every other tuesday", "water plants"),
        ("pay rent every 1st at 9am", "pay rent"),
        ("ہر اتوار شام 7 بجے امی کو فون کرنا", "امی کو فون کرنا"),
        ("ہر مہینے کی 27 تاریخ کو کرایہ دینا", "کرایہ دینا"),
    ],
)
def test_recurrence_words_leave_the_title(text: str, title: str) -> None:
    assert parse(text).task.title == title


def test_due_is_the_first_occurrence_without_time_when_none_said() -> None:
    u = parse("gym every monday")
    assert (u.task.due_date, u.task.due_time) == (at(3, 16).date(), None)
    u = parse("gym every monday at 6pm")
    assert (u.task.due_date, u.task.due_time) == (at(3, 16).date(), at(3, 16, 18).time())


@pytest.mark.parametrize(
    "text",
    [
        "Create monthly report",
        "Prepare the weekly review",
        "send the daily standup notes",
        "read the annual report",
        "روزانہ کی رپورٹ بنانا",
        "ماہانہ رپورٹ بنانا",
        "pack everything for the trip",
    ],
)
def test_adjectives_are_not_recurrences(text: str) -> None:
    u = parse(text)
    assert u.recurrence is None
    assert u.task.title


def test_create_monthly_report_keeps_its_title() -> None:
    assert parse("Create monthly report").task.title == "monthly report"


def test_recurrence_of_a_whole_message() -> None:
    rec = parse("every sunday at 7pm call mom", ctx_at(2026, 3, 13)).recurrence
    assert rec is not None
    assert first_n_local(rec.rrule, rec.dtstart, 2) == [at(3, 15, 19), at(3, 22, 19)]
    assert parse("call mom tomorrow", ctx_at(2026, 3, 13)).recurrence is None


# --- DST: America/New_York springs forward 2026-03-08 and falls back 2026-11-01 -----------


def test_weekly_evening_keeps_wall_clock_across_spring_forward() -> None:
    ctx = ctx_at(2026, 3, 5, 12, tz=NEW_YORK)  # Thursday before the change
    rec = parse("call mom every sunday at 7pm", ctx).recurrence
    assert rec is not None
    local = first_n_local(rec.rrule, rec.dtstart, 3, tz=NEW_YORK)
    assert local == [at(3, 8, 19), at(3, 15, 19), at(3, 22, 19)]
    # same wall clock, different UTC offset once DST began
    assert [localize(x, NEW_YORK).utcoffset().total_seconds() / 3600 for x in local[:1]] == [-4]


def test_daily_morning_keeps_wall_clock_across_fall_back() -> None:
    ctx = ctx_at(2026, 10, 31, 12, tz=NEW_YORK)
    rec = parse("every day at 9am take vitamins", ctx).recurrence
    assert rec is not None
    local = first_n_local(rec.rrule, rec.dtstart, 3, tz=NEW_YORK)
    assert local == [at(11, 1), at(11, 2), at(11, 3)]
    offsets = [localize(x, NEW_YORK).utcoffset().total_seconds() / 3600 for x in local]
    assert offsets == [-5, -5, -5]


def test_until_is_local_end_of_day() -> None:
    rec = parse("gym every monday until april 6").recurrence
    assert rec is not None
    assert "UNTIL=20260406T235959" in rec.rrule
    assert first_n_local(rec.rrule, rec.dtstart, 10)[-1] == at(4, 6)


def test_until_a_month_means_its_first_next_year_when_passed() -> None:
    rec = parse("standup every weekday until march").recurrence  # said on 13 March
    assert rec is not None
    assert "UNTIL=20270301T235959" in rec.rrule
