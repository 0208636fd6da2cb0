"""The calendar feed as a calendar app sees it: a secret URL without headers, a valid RFC 5545
calendar (read back with the `icalendar` library), the user's due tasks in the user's zone with
their RRULEs, and a rotated or revoked secret that opens nothing."""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from tests.conftest import User, register


async def _ics(http: httpx.AsyncClient, url: str) -> httpx.Response:
    return await http.get(urlsplit(url).path)  # no Authorization: the URL is the key


async def test_feed_lists_due_tasks_in_the_users_zone_with_rrules(
    http: httpx.AsyncClient, alice: User, bob: User, pool: asyncpg.Pool
) -> None:
    tasks = [
        {"title": "call mom", "due": "2026-12-06T19:00:00", "tags": ["family"], "priority": 1,
         "recurrence": {"rrule": "FREQ=WEEKLY;BYDAY=SU"}, "reminders": [{"offset_minutes": 15}]},
        {"title": "pay rent", "due_date": "2027-01-01", "notes": "landlord: Mr. Khan"},
        {"title": "دودھ خریدنا", "due": "2026-12-04T17:00:00"},
        {"title": "someday, no date"},
        {"title": "take the pills", "due": "2026-12-04T08:00:00",
         "recurrence": {"rrule": "FREQ=DAILY;COUNT=5"}},
    ]  # fmt: skip
    for body in tasks:
        assert (await alice.request("POST", "/v1/tasks", json=body)).status_code == 201
    friday = "2026-12-05T09:00:00"
    # The open instance of "take the pills" is its series' third: three doses are left.
    await pool.execute(
        "UPDATE app.tasks SET occurrence = 3 WHERE owner_id = $1 AND title = 'take the pills'",
        uuid.UUID(alice.id),
    )
    done = await alice.request("POST", "/v1/tasks", json={"title": "done", "due": friday})
    await alice.request("POST", f"/v1/tasks/{done.json()['id']}/complete")
    await bob.request("POST", "/v1/tasks", json={"title": "bob's own", "due": friday})

    made = await alice.request("POST", "/v1/calendar/feed")
    assert made.status_code == 201, made.text
    assert made.json()["webcal_url"].startswith("webcal://")
    got = await _ics(http, made.json()["url"])
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("text/calendar")

    cal = Calendar.from_ical(got.content)
    assert cal["VERSION"] == "2.0"
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"call mom", "pay rent", "دودھ خریدنا", "take the pills"}  # open, due
    pills = events["take the pills"]
    doses = list(rrulestr(pills["RRULE"].to_ical().decode(), dtstart=pills.decoded("DTSTART")))
    assert len(doses) == 3
    assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} == {"Asia/Karachi"}

    weekly = events["call mom"]
    start = weekly.decoded("DTSTART")
    assert start == datetime(2026, 12, 6, 19, 0, tzinfo=ZoneInfo("Asia/Karachi"))
    assert str(weekly["DTSTART"].params["TZID"]) == "Asia/Karachi"
    assert weekly["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=SU"
    assert list(weekly["CATEGORIES"].cats) == ["family"]
    assert weekly["PRIORITY"] == 1
    assert weekly.walk("VALARM")[0].decoded("TRIGGER") == timedelta(minutes=-15)

    all_day = events["pay rent"]
    assert all_day.decoded("DTSTART") == date(2027, 1, 1)
    assert all_day.decoded("DTEND") == date(2027, 1, 2)
    assert str(all_day["DESCRIPTION"]) == "landlord: Mr. Khan"
    assert len({str(e["UID"]) for e in events.values()}) == 4


async def test_a_rotated_or_revoked_secret_opens_nothing(
    http: httpx.AsyncClient, pool: asyncpg.Pool, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="api.access")
    carol = await register(http)
    first = (await carol.request("POST", "/v1/calendar/feed")).json()["url"]
    assert (await _ics(http, first)).status_code == 200
    secret = urlsplit(first).path.rsplit("/", 1)[1].removesuffix(".ics")
    stored = await pool.fetchval(
        "SELECT secret_hash FROM app.calendar_feeds WHERE user_id = $1", carol.id
    )
    assert stored == hashlib.sha256(secret.encode()).digest()  # the secret itself is not kept
    assert "GET /v1/calendar/feeds/{secret}.ics 200" in caplog.text
    assert secret not in caplog.text  # nor logged

    second = (await carol.request("POST", "/v1/calendar/feed")).json()["url"]
    assert second != first
    old = await _ics(http, first)
    assert old.status_code == 404
    assert old.headers["content-type"] == "application/problem+json"
    assert (await _ics(http, second)).status_code == 200
    assert (await carol.request("GET", "/v1/calendar/feed")).json()["active"] is True

    assert (await carol.request("DELETE", "/v1/calendar/feed")).status_code == 204
    assert (await _ics(http, second)).status_code == 404
    assert (await carol.request("GET", "/v1/calendar/feed")).json() == {
        "active": False,
        "created_at": None,
    }
    assert (await carol.request("DELETE", "/v1/calendar/feed")).status_code == 404
    # Not a credential for anything else: no bearer token, no access.
    assert (await http.post("/v1/calendar/feed")).status_code == 401
