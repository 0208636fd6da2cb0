"""The recurring consumer's date math (no I/O): DST, month ends, UNTIL, COUNT, shifted reminders."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

import pytest

from consumers.recurring.next_instance import next_instance_id, plan_next
from domain.models import Recurrence, Reminder, Status, Task


def _task(due: str, rrule: str, *, occurrence: int = 1, reminders=(), all_day=False) -> Task:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    task_id = uuid.uuid4()
    return Task(
        id=task_id,
        owner_id=uuid.uuid4(),
        title="t",
        notes=None,
        status=Status.DONE,
        priority=4,
        tags=[],
        due=datetime.fromisoformat(due),
        all_day=all_day,
        reminders=list(reminders),
        recurrence=Recurrence(rrule=rrule, series_id=task_id, occurrence=occurrence),
        created_at=now,
        updated_at=now,
        completed_at=now,
        version=2,
    )


@pytest.mark.parametrize(
    ("due", "rrule", "tz", "expected"),
    [
        # Karachi has no DST: every day at 09:00 local is 04:00 UTC.
        ("2026-03-01T04:00:00+00:00", "FREQ=DAILY", "Asia/Karachi", "2026-03-02T04:00:00+00:00"),
        # London springs forward on 29 March 2026: 09:00 local moves from 09:00 to 08:00 UTC.
        ("2026-03-28T09:00:00+00:00", "FREQ=DAILY", "Europe/London", "2026-03-29T08:00:00+00:00"),
        # Monthly on the 31st skips the short months.
        (
            "2026-01-31T10:00:00+00:00",
            "FREQ=MONTHLY;BYMONTHDAY=31",
            "UTC",
            "2026-03-31T10:00:00+00:00",
        ),
        # The last day of each month, February included.
        (
            "2026-01-31T10:00:00+00:00",
            "FREQ=MONTHLY;BYMONTHDAY=-1",
            "UTC",
            "2026-02-28T10:00:00+00:00",
        ),
        # Every other Tuesday.
        (
            "2026-11-03T17:00:00+00:00",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
            "UTC",
            "2026-11-17T17:00:00+00:00",
        ),
    ],
)
def test_the_next_due_time(due: str, rrule: str, tz: str, expected: str) -> None:
    plan = plan_next(_task(due, rrule), tz)
    assert plan is not None
    assert plan.create.due == datetime.fromisoformat(expected)


def test_an_all_day_task_stays_at_local_midnight_across_dst() -> None:
    # Local midnight in New York: 04:00 UTC in October (EDT), 05:00 UTC in November (EST).
    task = _task("2026-10-31T04:00:00+00:00", "FREQ=DAILY", all_day=True)
    plan = plan_next(task, "America/New_York")
    assert plan is not None
    assert plan.create.due == datetime(2026, 11, 1, 4, 0, tzinfo=UTC)  # still EDT that midnight
    plan2 = plan_next(task.model_copy(update={"due": plan.create.due}), "America/New_York")
    assert plan2 is not None
    assert plan2.create.due == datetime(2026, 11, 2, 5, 0, tzinfo=UTC)
    assert plan2.create.all_day


def test_count_is_counted_by_occurrence_and_until_ends_the_series() -> None:
    assert plan_next(_task("2026-05-01T09:00:00+00:00", "FREQ=DAILY;COUNT=3", occurrence=2), "UTC")
    assert (
        plan_next(_task("2026-05-01T09:00:00+00:00", "FREQ=DAILY;COUNT=3", occurrence=3), "UTC")
        is None
    )
    until = "FREQ=DAILY;UNTIL=20260502T090000Z"
    assert plan_next(_task("2026-05-01T09:00:00+00:00", until), "UTC") is not None
    assert plan_next(_task("2026-05-02T09:00:00+00:00", until), "UTC") is None


def test_ids_are_deterministic_and_reminders_follow() -> None:
    task = _task(
        "2026-03-28T09:00:00+00:00",
        "FREQ=DAILY",
        reminders=[
            Reminder(offset_minutes=15),
            Reminder(at=datetime(2026, 3, 28, 7, 30, tzinfo=UTC)),
        ],
    )
    plan = plan_next(task, "Europe/London")
    assert plan is not None
    assert plan.task_id == next_instance_id(task.id, 2) == plan_next(task, "Europe/London").task_id
    assert plan.create.recurrence.occurrence == 2
    assert plan.create.recurrence.series_id == task.id
    offset, absolute = plan.create.reminders
    assert offset.offset_minutes == 15
    # 07:30 GMT the day before DST is 07:30 local; the next one is 07:30 BST = 06:30 UTC.
    assert absolute.at == datetime(2026, 3, 29, 6, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("due", "rrule"),
    [
        # Stored before rules were checked for occurrences: no 30 February, ever.
        ("2026-03-01T09:00:00+00:00", "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30"),
        # Valid on its own, impossible from its due: February, on the due's day (the 30th).
        ("2026-01-30T09:00:00+00:00", "FREQ=MONTHLY;BYMONTH=2"),
    ],
)
def test_a_rule_that_cannot_recur_ends_the_series_quickly(due: str, rrule: str) -> None:
    task = _task(due, "FREQ=DAILY")
    assert task.recurrence is not None
    task.recurrence = Recurrence.model_construct(
        rrule=rrule, series_id=task.id, occurrence=1
    )  # as stored, without today's validation
    start = time.perf_counter()
    assert plan_next(task, "Asia/Karachi") is None
    assert time.perf_counter() - start < 1.0  # unbounded, dateutil scans to the year 9999


def test_yearly_on_29_february_waits_eight_years_over_2100() -> None:
    plan = plan_next(_task("2096-02-29T09:00:00+00:00", "FREQ=YEARLY"), "Europe/London")
    assert plan is not None
    assert plan.create.due == datetime(2104, 2, 29, 9, tzinfo=UTC)
