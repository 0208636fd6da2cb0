"""Recurrence math: RFC 5545 RRULEs expanded in the user's zone with dateutil and zoneinfo.

Occurrences are computed on naive local wall-clock times and localised afterwards, so "every
sunday at 7pm" stays at 7pm across DST changes; a wall-clock time that does not exist on a
spring-forward day is moved forward by the gap (pendulum's rule), one that happens twice takes
the first.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import islice
from zoneinfo import ZoneInfo

import pendulum
from dateutil.rrule import rrulestr

from domain.timezones import zone


class InvalidRecurrence(ValueError):
    """The RRULE text is not a rule dateutil accepts."""


def _rule(rrule: str, dtstart_local: datetime, tz: str = "UTC"):
    body = rrule.strip().removeprefix("RRULE:")
    # DTSTART is floating (naive local wall-clock), and RFC 5545 then wants a floating UNTIL
    # too (dateutil refuses a mix): an UTC UNTIL ("...Z") is turned into local time first.
    parts = []
    for part in body.split(";"):
        key, _, value = part.partition("=")
        if key.upper() == "UNTIL" and value.upper().endswith("Z"):
            utc = datetime.strptime(value.upper(), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            value = utc.astimezone(ZoneInfo(tz)).strftime("%Y%m%dT%H%M%S")
        parts.append((key.upper(), value))
    try:
        return rrulestr(
            ";".join(f"{k}={v}" for k, v in parts), dtstart=dtstart_local.replace(tzinfo=None)
        )
    except (ValueError, TypeError) as exc:
        raise InvalidRecurrence(f"not a valid RRULE: {rrule!r} ({exc})") from exc


def validate_rrule(rrule: str) -> str:
    """Return the canonical body of a valid rule or raise InvalidRecurrence."""
    body = rrule.strip().removeprefix("RRULE:")
    if "FREQ=" not in body.upper():
        raise InvalidRecurrence(f"an RRULE needs FREQ: {rrule!r}")
    _rule(body, datetime(2000, 1, 1))
    return body.upper()


def localize(naive_local: datetime, tz: str) -> datetime:
    """Attach the zone with pendulum's DST rules (gap → forward, fold → first)."""
    return pendulum.instance(naive_local.replace(tzinfo=None), tz=zone(tz))


def iter_local(rrule: str, dtstart_local: datetime, tz: str = "UTC") -> Iterator[datetime]:
    """Naive local wall-clock occurrences, starting with DTSTART when it matches the rule."""
    return iter(_rule(rrule, dtstart_local, tz))


def occurrences(
    rrule: str, dtstart_local: datetime, tz: str, *, count: int = 10, after: datetime | None = None
) -> list[datetime]:
    """The next `count` occurrences as aware UTC datetimes, strictly after `after` (UTC)."""
    out: list[datetime] = []
    for naive in iter_local(rrule, dtstart_local, tz):
        aware = localize(naive, tz)
        if after is not None and aware <= after:
            continue
        out.append(aware.astimezone(UTC))
        if len(out) >= count:
            break
    return out


def next_occurrence(
    rrule: str, dtstart_local: datetime, tz: str, after: datetime
) -> datetime | None:
    """The first occurrence strictly after `after`, in UTC, or None when the series has ended."""
    found = occurrences(rrule, dtstart_local, tz, count=1, after=after)
    return found[0] if found else None


def first_n_local(
    rrule: str, dtstart_local: datetime, n: int = 10, tz: str = "UTC"
) -> list[datetime]:
    """The first n naive local occurrences: the basis of 'same recurrence' comparisons."""
    return list(islice(iter_local(rrule, dtstart_local, tz), n))
