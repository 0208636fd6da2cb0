"""Recurrence math: RFC 5545 RRULEs expanded in the user's zone with dateutil and zoneinfo.

Occurrences are computed on naive local wall-clock times and localised afterwards, so "every
sunday at 7pm" stays at 7pm across DST changes; a wall-clock time that does not exist on a
spring-forward day is moved forward by the gap (pendulum's rule), one that happens twice takes
the first.

dateutil checks UNTIL and COUNT only against occurrences it has found, so a rule that never
matches (FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30) makes it scan to the year 9999: seconds of CPU per
expansion. Every expansion here runs on a guarded rule that gives up after a bounded stretch of
calendar without an occurrence, and a rule with no occurrence at all is refused at validation.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

import dateutil.rrule as du
import pendulum

from domain.timezones import zone


class InvalidRecurrence(ValueError):
    """The RRULE text is not a rule dateutil accepts, or one that never occurs."""


# How long a stretch of calendar may pass without an occurrence before a scan gives up. Yearly
# and monthly scans are cheap per step, so they cover the whole 400-year Gregorian cycle (after
# which the calendar, weekdays included, repeats: nothing in 400 years means never). Finer rules
# cost a step per day, so they get 50 years: more than the longest real gap (40 years, e.g.
# "every 29 February that is a Monday"), and about 50 ms of CPU at worst.
HORIZON_YEARS: dict[int, int] = {du.YEARLY: 400, du.MONTHLY: 400}
DEFAULT_HORIZON_YEARS = 50
# Occurrences one expansion may look at (mostly skipping those before `after`): a bound on the
# work of a dense rule (FREQ=MINUTELY) whose DTSTART lies far behind `after`.
MAX_SCANNED = 100_000
_ANCHOR = datetime(2000, 1, 1)  # DTSTART for validating a rule on its own (no task yet)


class _HorizonReached(Exception):
    """A guarded rule went a whole horizon without an occurrence."""


class _GuardedRule(du.rrule):
    """An rrule whose scan stops after `budget` calendar steps without an occurrence.

    dateutil's iterator refreshes its per-month (per-period for YEARLY and MONTHLY rules) tables
    through `_iterinfo.rebuild`, which reads `_byeaster` once each time; that read is the only
    hook into its inner loop, so it is the tick counted here. The count restarts at every
    occurrence, so a rule is only stopped after a horizon with nothing in it.
    """

    _budget: int = sys.maxsize  # unlimited until _guarded() sets it (dateutil reads it in __init__)
    _idle: int = 0

    @property
    def _byeaster(self) -> Any:
        self._idle += 1
        if self._idle > self._budget:
            raise _HorizonReached
        return self.__dict__["_byeaster_value"]

    @_byeaster.setter
    def _byeaster(self, value: Any) -> None:
        self.__dict__["_byeaster_value"] = value

    def _iter(self) -> Iterator[datetime]:
        self._idle = 0
        for occurrence in super()._iter():
            self._idle = 0
            yield occurrence


def _budget(freq: int, interval: int) -> int:
    """Steps in a horizon: one per period for YEARLY and MONTHLY rules, one per month below."""
    months = 12 * HORIZON_YEARS.get(freq, DEFAULT_HORIZON_YEARS)
    per_step = {du.YEARLY: 12 * interval, du.MONTHLY: interval}.get(freq, 1)
    # +2: dateutil reads `_byeaster` once, and rebuilds once, before its first step.
    return -(-months // per_step) + 2


def _guarded(rule: du.rrule) -> _GuardedRule:
    # Rebuilt the way rrule.replace() does, as the guarded subclass.
    kwargs = {
        "freq": rule._freq,
        "dtstart": rule._dtstart,
        "interval": rule._interval,
        "wkst": rule._wkst,
        "count": rule._count,
        "until": rule._until,
        **rule._original_rule,
    }
    guarded = _GuardedRule(**kwargs)
    guarded._budget = _budget(rule._freq, rule._interval)
    return guarded


def _bounded(rule: _GuardedRule) -> Iterator[datetime]:
    """The rule's occurrences, ending (instead of stalling) after a horizon without one."""
    try:
        yield from rule
    except _HorizonReached:
        return
    except ValueError:
        # dateutil's own verdict on MINUTELY/SECONDLY rules whose time filters cannot match.
        return


def _rule(rrule_text: str, dtstart_local: datetime, tz: str = "UTC") -> _GuardedRule:
    body = rrule_text.strip().removeprefix("RRULE:")
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
        rule = du.rrulestr(
            ";".join(f"{k}={v}" for k, v in parts), dtstart=dtstart_local.replace(tzinfo=None)
        )
    except (ValueError, TypeError) as exc:
        raise InvalidRecurrence(f"not a valid RRULE: {rrule_text!r} ({exc})") from exc
    if not isinstance(rule, du.rrule):  # e.g. RDATE/EXDATE lines make a set
        raise InvalidRecurrence(f"not a single RRULE: {rrule_text!r}")
    return _guarded(rule)


def _without_end(body: str) -> str:
    """The rule's pattern alone: UNTIL and COUNT end a series, they do not make it impossible."""
    kept = [p for p in body.split(";") if p.partition("=")[0].upper() not in ("UNTIL", "COUNT")]
    return ";".join(kept)


def validate_rrule(rrule: str) -> str:
    """Return the canonical body of a valid rule or raise InvalidRecurrence."""
    body = rrule.strip().removeprefix("RRULE:")
    if "FREQ=" not in body.upper():
        raise InvalidRecurrence(f"an RRULE needs FREQ: {rrule!r}")
    rule = _rule(body, _ANCHOR)
    if rule._freq in (du.MINUTELY, du.SECONDLY):
        # No to-do repeats by the minute, and these are the rules whose search for a first
        # occurrence the horizon cannot bound cheaply (seconds of CPU with time filters).
        raise InvalidRecurrence(f"a task repeats at most hourly: {rrule!r}")
    # Refused here, a rule that never matches cannot make any later expansion scan for nothing.
    if next(_bounded(_rule(_without_end(body), _ANCHOR)), None) is None:
        years = HORIZON_YEARS.get(rule._freq, DEFAULT_HORIZON_YEARS)
        raise InvalidRecurrence(
            f"the RRULE {rrule!r} never occurs: no date matches it within {years} years"
            " (e.g. BYMONTH=2;BYMONTHDAY=30 asks for February 30th)"
        )
    return body.upper()


def localize(naive_local: datetime, tz: str) -> datetime:
    """Attach the zone with pendulum's DST rules (gap → forward, fold → first)."""
    return pendulum.instance(naive_local.replace(tzinfo=None), tz=zone(tz))


def iter_local(rrule: str, dtstart_local: datetime, tz: str = "UTC") -> Iterator[datetime]:
    """Naive local wall-clock occurrences, starting with DTSTART when it matches the rule.

    The iterator ends when the series does, or after a horizon with no occurrence in it.
    """
    return _bounded(_rule(rrule, dtstart_local, tz))


def occurrences(
    rrule: str, dtstart_local: datetime, tz: str, *, count: int = 10, after: datetime | None = None
) -> list[datetime]:
    """The next `count` occurrences as aware UTC datetimes, strictly after `after` (UTC).

    Fewer (possibly none) when the series ends, when a horizon passes without an occurrence, or
    after MAX_SCANNED occurrences looked at: a bounded answer, never a stall.
    """
    out: list[datetime] = []
    # Occurrences a day or more before `after` are skipped on their naive value: localizing each
    # one of a dense rule would cost more than dateutil's whole scan.
    floor = _naive_in(after, tz) - timedelta(days=1) if after is not None else None
    for naive in islice(iter_local(rrule, dtstart_local, tz), MAX_SCANNED):
        if floor is not None and naive < floor:
            continue
        aware = localize(naive, tz)
        if after is not None and aware <= after:
            continue
        out.append(aware.astimezone(UTC))
        if len(out) >= count:
            break
    return out


def _naive_in(instant: datetime, tz: str) -> datetime:
    return instant.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


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
