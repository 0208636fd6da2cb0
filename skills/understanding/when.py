"""A moment: date and time together, with the rules that tie them.

A time without a date is today when still ahead, else tomorrow; "in 20 minutes" is now + 20 to
the minute; "tonight" is today.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, time, timedelta

from . import lexicon_en as en
from . import lexicon_ur as ur
from .dates import take_date, take_weekday_before_time
from .doc import Clock, Doc
from .times import take_time


@dataclass(frozen=True, slots=True)
class When:
    date: date | None = None
    time: time | None = None
    part: str | None = None
    date_said: bool = False
    time_said: bool = False

    @property
    def said(self) -> bool:
        return self.date_said or self.time_said


_REL_EN = re.compile(
    rf"\b(?:in|after|within)\s+(?:(?P<half>half\s+an?)|(?P<n>{en.NUM}))\s*"
    r"(?P<u>minutes?|mins?|hours?|hrs?|h)\b(?P<andhalf>\s+and\s+a\s+half)?"
    rf"|\b(?P<n2>{en.NUM})\s+(?P<u2>minutes?|mins?|hours?|hrs?)\s+from\s+now\b",
    re.I,
)
_REL_UR = re.compile(
    rf"(?<!\w)(?P<n>{ur.NUM}|آدھے|آدھا|ڈیڑھ|ڈھائی)\s+(?P<u>منٹ|منٹوں|گھنٹے|گھنٹہ|گھنٹوں)"
    r"\s+(?:بعد|میں|کے\s+بعد|کے\s+اندر)(?!\w)"
)
_UR_FRACTIONAL = {"آدھے": 0.5, "آدھا": 0.5, "ڈیڑھ": 1.5, "ڈھائی": 2.5}


def _relative(doc: Doc, clock: Clock, language: str) -> When | None:
    minutes: float | None = None
    if language == "ur" and (m := _REL_UR.search(doc.text)):
        raw = m["n"]
        n = _UR_FRACTIONAL.get(raw) or (int(raw) if raw.isdigit() else ur.NUMBER_WORDS.get(raw))
        if n is not None:
            minutes = n * (1 if m["u"].startswith("منٹ") else 60)
    if minutes is None and (m := _REL_EN.search(doc.text)):
        raw = m["n"] or m["n2"]
        n = 0.5 if m["half"] else en.number(raw) if raw else None
        if n is not None:
            unit = (m["u"] or m["u2"]).lower()
            per = 1 if unit.startswith("m") else 60
            minutes = n * per + (30 if m["andhalf"] and per == 60 else 0)
    if minutes is None or m is None:
        return None
    doc.take_match(m)
    # elapsed time, not wall-clock: "in 2 hours" across a DST change is still 2 real hours
    moment = (clock.now.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(clock.now.tzinfo)
    # due times are whole minutes: round *up*, so "in 1 minute" said at 10:00:44 is 10:02, never
    # 10:01 (16 seconds away); a reminder must not fire before the time it was asked for
    if moment.second or moment.microsecond:
        moment += timedelta(minutes=1)
    at = moment.replace(second=0, microsecond=0, tzinfo=None)
    return When(at.date(), at.time(), None, True, True)


def take_when(doc: Doc, clock: Clock, language: str, part_hint: str | None = None) -> When:
    rel = _relative(doc, clock, language)
    if rel:
        return rel
    early = take_weekday_before_time(doc, clock) if language == "en" else None
    hit = take_time(doc, language, part_hint)
    day = early or take_date(doc, clock, language)
    if hit is None:
        return When(day, None, None, day is not None, False)
    if day is None:
        day = clock.today if hit.tonight else clock.upcoming(hit.at)
        return When(day, hit.at, hit.part, False, True)
    return When(day, hit.at, hit.part, True, True)
