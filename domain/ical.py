"""Tasks as an iCalendar (RFC 5545) feed that Google Calendar, Apple Calendar and Thunderbird
subscribe to.

Each task with a due time is a VEVENT: calendar apps show events, while most ignore VTODO in a
subscribed feed. Times are written in the user's zone (TZID, with its VTIMEZONE), so a repeating
task's RRULE expands on the user's wall clock across DST changes, as the task itself does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vRecur

from domain.models import Task

PRODID = "-//todo-agent//calendar feed//EN"
# A to-do has a moment, not a length; calendars need one to draw it.
TIMED_LENGTH = timedelta(minutes=30)
REFRESH = timedelta(hours=1)
# Todoist's p1..p4 on RFC 5545's 1 (highest) .. 9 (lowest), 0 = undefined.
_PRIORITY = {1: 1, 2: 3, 3: 5, 4: 0}


def feed(tasks: list[Task], *, timezone: str, name: str = "todo-agent") -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", timezone)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", REFRESH)
    stamp = datetime.now(UTC)
    for task in tasks:
        if task.due is not None:
            cal.add_component(_event(task, timezone, stamp))
    cal.add_missing_timezones()
    return cal.to_ical()


def _remaining(rrule: str, occurrence: int) -> vRecur:
    """The rule from this instance on: the open task is occurrence N of its series, and the
    event starts there, so a COUNT still to go is what is left of it."""
    rule = vRecur.from_ical(rrule)
    if "COUNT" in rule and occurrence > 1:
        (count,) = rule["COUNT"]
        rule["COUNT"] = [max(1, int(count) - occurrence + 1)]
    return rule


def _event(task: Task, timezone: str, stamp: datetime) -> Event:
    local = task.local_due(timezone)
    assert local is not None
    event = Event()
    event.add("uid", f"{task.id}@todo-agent")
    event.add("dtstamp", stamp)
    event.add("last-modified", task.updated_at)
    event.add("summary", task.title)
    if task.notes:
        event.add("description", task.notes)
    if task.all_day:
        day = local.date()
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
    else:
        # A plain datetime in a zoneinfo zone: icalendar names it by its TZID.
        start = datetime(*local.timetuple()[:6], tzinfo=ZoneInfo(timezone), fold=local.fold)
        event.add("dtstart", start)
        event.add("dtend", start + TIMED_LENGTH)
    if task.recurrence is not None:
        event.add("rrule", _remaining(task.recurrence.rrule, task.recurrence.occurrence))
    if task.tags:
        event.add("categories", task.tags)
    if priority := _PRIORITY.get(task.priority):
        event.add("priority", priority)
    event.add("transp", "TRANSPARENT")  # a to-do does not make the person busy
    for reminder in task.reminders:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", task.title)
        if reminder.offset_minutes is not None:
            alarm.add("trigger", timedelta(minutes=-reminder.offset_minutes))
        elif reminder.at is not None:
            alarm.add("trigger", reminder.at)
        event.add_component(alarm)
    return event
