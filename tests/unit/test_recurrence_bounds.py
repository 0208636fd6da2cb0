"""Recurrence expansion is bounded: a rule that never matches is refused when it is created, and
any expansion gives up after a horizon without an occurrence instead of scanning to year 9999."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from domain.recurrence import (
    InvalidRecurrence,
    first_n_local,
    iter_local,
    next_occurrence,
    occurrences,
    validate_rrule,
)

# Unbounded, dateutil takes seconds of CPU on each of these (it searches to the year 9999).
IMPOSSIBLE = [
    "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30;BYHOUR=23",
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31",
    "FREQ=WEEKLY;BYMONTH=6;BYMONTHDAY=31",
    "FREQ=MONTHLY;BYMONTH=11;BYMONTHDAY=31",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;UNTIL=20990101T000000Z",
]
FAST_S = 1.0  # generous for a loaded CI machine; the unbounded scan takes about 10 s


def _elapsed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@pytest.mark.parametrize("rule", IMPOSSIBLE)
def test_a_rule_that_never_occurs_is_refused_quickly(rule: str) -> None:
    def check() -> None:
        with pytest.raises(InvalidRecurrence, match="never occurs"):
            validate_rrule(rule)

    assert _elapsed(check) < FAST_S


@pytest.mark.parametrize("rule", IMPOSSIBLE)
def test_expanding_a_rule_that_never_occurs_ends_quickly(rule: str) -> None:
    # Validation is bypassed here: rules stored before it existed still reach the expanders.
    start = datetime(2026, 3, 1, 9)
    after = datetime(2026, 3, 1, 4, tzinfo=UTC)
    found: list[object] = []

    def expand() -> None:
        found.append(next_occurrence(rule, start, "Asia/Karachi", after))
        found.append(occurrences(rule, start, "Asia/Karachi", count=3))
        found.append(first_n_local(rule, start, 3))

    assert _elapsed(expand) < 3 * FAST_S
    assert found == [None, [], []]


def test_a_rule_made_impossible_by_its_start_has_no_next_occurrence() -> None:
    # Valid on its own (February, on DTSTART's day of the month), but DTSTART is the 30th.
    assert validate_rrule("FREQ=MONTHLY;BYMONTH=2") == "FREQ=MONTHLY;BYMONTH=2"
    after = datetime(2026, 1, 30, 9, tzinfo=UTC)
    took = _elapsed(
        lambda: next_occurrence("FREQ=MONTHLY;BYMONTH=2", datetime(2026, 1, 30, 9), "UTC", after)
    )
    assert took < FAST_S
    assert next_occurrence("FREQ=MONTHLY;BYMONTH=2", datetime(2026, 1, 30, 9), "UTC", after) is None


def test_yearly_on_29_february_skips_the_century_year() -> None:
    # 2100 is not a leap year: the gap after 2096 is eight years.
    assert validate_rrule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29")
    found = occurrences("FREQ=YEARLY", datetime(2096, 2, 29, 9), "UTC", count=3)
    assert [o.year for o in found] == [2096, 2104, 2108]
    after = datetime(2096, 2, 29, 9, tzinfo=UTC)
    nxt = next_occurrence(
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", datetime(2096, 2, 29, 9), "UTC", after
    )
    assert nxt == datetime(2104, 2, 29, 9, tzinfo=UTC)


def test_the_longest_real_gaps_are_still_found() -> None:
    # A 29 February that is a Monday: 2016, then 2044 (28 years); daily rules scan day by day.
    rule = "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO"
    assert validate_rrule(rule) == rule
    found = first_n_local(rule, datetime(2016, 3, 1, 8), 2)
    assert [d.year for d in found] == [2044, 2072]


def test_an_end_in_the_past_does_not_make_a_rule_impossible() -> None:
    # UNTIL and COUNT say when a series ends; only a pattern that never matches is refused.
    assert validate_rrule("FREQ=WEEKLY;BYDAY=SU;UNTIL=19990101T000000Z")
    assert validate_rrule("FREQ=DAILY;COUNT=1") == "FREQ=DAILY;COUNT=1"


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MINUTELY;INTERVAL=30",
        "FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30;BYHOUR=23",
        # valid, but its first occurrence takes a minute of CPU to find
        "FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;BYHOUR=23;BYMINUTE=59;BYSECOND=59",
    ],
)
def test_rules_more_frequent_than_hourly_are_refused_quickly(rule: str) -> None:
    def check() -> None:
        with pytest.raises(InvalidRecurrence, match="at most hourly"):
            validate_rrule(rule)

    assert _elapsed(check) < FAST_S


def test_a_hard_hourly_rule_is_still_accepted_quickly() -> None:
    rule = "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;BYHOUR=23"
    assert _elapsed(lambda: validate_rrule(rule)) < FAST_S


def test_iteration_of_a_dense_rule_is_capped() -> None:
    after = datetime(2026, 1, 1, tzinfo=UTC)
    # Hourly since 2020: within the cap, so the right answer, quickly.
    recent = occurrences("FREQ=HOURLY", datetime(2020, 1, 1), "UTC", count=2, after=after)
    assert [o.isoformat() for o in recent] == [
        "2026-01-01T01:00:00+00:00",
        "2026-01-01T02:00:00+00:00",
    ]
    # Hourly since 2000: more occurrences before `after` than one expansion may skip, so it
    # gives up (no answer) instead of scanning 230,000 hours.
    found: list[list[datetime]] = []
    took = _elapsed(
        lambda: found.append(
            occurrences("FREQ=HOURLY", datetime(2000, 1, 1), "UTC", count=2, after=after)
        )
    )
    assert found == [[]]
    assert took < 3 * FAST_S


def test_ordinary_rules_still_expand_without_end() -> None:
    daily = iter_local("FREQ=DAILY", datetime(2026, 1, 1, 9))
    assert [next(daily).day for _ in range(40)][-1] == 9  # 9 February: past the first month
