"""Reminder phrases: an offset before the due time, or an absolute moment.

"30 minutes before", "an hour early", "the day before", "ایک گھنٹہ پہلے" → offset_minutes;
", remind me at 8am" inside a task → at_date/at_time.
"""

from __future__ import annotations

import re

from . import lexicon_en as en
from . import lexicon_ur as ur
from .doc import Clock, Doc
from .types import ReminderSpec
from .when import When, take_when

_LEAD_EN = (
    r"(?:(?:,|\band)\s*)?(?:\b(?:and\s+)?(?:remind|alert|notify|ping|warn)\s+me\s+"
    r"|\b(?:with\s+)?(?:a\s+)?reminder\s+|\bset\s+(?:a\s+)?reminder\s+)?"
)
_OFFSET_EN = re.compile(
    _LEAD_EN
    + rf"\b(?:(?P<half>half\s+an?)|(?P<n>{en.NUM}))\s*"
    + r"(?P<u>minutes?|mins?|hours?|hrs?|days?|weeks?)"
    r"\s+(?:before|prior(?:\s+to)?|earlier|early|ahead(?:\s+of)?|in\s+advance|beforehand)\b"
    r"|" + _LEAD_EN + r"\b(?:the\s+|a\s+)?(?P<dayb>day|night|week)\s+(?:before|early|earlier)\b",
    re.I,
)
_OFFSET_UR = re.compile(
    rf"(?<!\w)(?P<n>{ur.NUM}|آدھا|آدھے|ڈیڑھ)\s*(?P<u>منٹ|گھنٹہ|گھنٹے|دن|روز|ہفتہ|ہفتے)\s+"
    r"(?:پہلے|قبل)(?!\w)"
)
_UR_FRACTIONAL = {"آدھا": 0.5, "آدھے": 0.5, "ڈیڑھ": 1.5}
_REMIND_AT_EN = re.compile(
    r"(?:(?:,|\band)\s*)?\b(?:(?:and\s+)?(?:remind|alert|notify|ping)\s+me|with\s+a\s+reminder|reminder)"
    r"\s+(?=at\b|on\b|@|tomorrow\b|today\b|tonight\b|in\s+\d|\d)",
    re.I,
)


def take_offset(doc: Doc, language: str) -> int | None:
    if language == "ur" and (m := _OFFSET_UR.search(doc.text)):
        raw = m["n"]
        n = _UR_FRACTIONAL.get(raw) or (int(raw) if raw.isdigit() else ur.NUMBER_WORDS.get(raw))
        if n is not None:
            doc.take_match(m)
            return round(n * ur.UNITS_MINUTES[m["u"]])
    m = _OFFSET_EN.search(doc.text)
    if not m:
        return None
    doc.take_match(m)
    if m["dayb"]:
        return 10080 if m["dayb"].lower() == "week" else 1440
    n = 0.5 if m["half"] else en.number(m["n"])
    unit = m["u"].lower()
    per = {"m": 1, "h": 60, "d": 1440, "w": 10080}[unit[0]]
    return round((n or 0) * per)


def take_reminder_moment(doc: Doc, clock: Clock, language: str) -> When | None:
    """', remind me at 8am' after a task: the words after the cue are the reminder's moment."""
    m = _REMIND_AT_EN.search(doc.text)
    if not m or not doc.text[: m.start()].strip():
        return None
    sub = Doc(doc.text[m.end() :])
    when = take_when(sub, clock, language)
    if not when.said:
        return None
    tail = doc.text[m.end() :]
    changed = [i for i, (a, b) in enumerate(zip(tail, sub.text, strict=True)) if a != b]
    doc.take(m.start(), m.end() + (changed[-1] + 1 if changed else 0))
    return when


def reminder_from(when: When | None, offset: int | None) -> ReminderSpec | None:
    if offset is not None:
        return ReminderSpec(offset_minutes=offset)
    if when is not None and when.said:
        return ReminderSpec(at_date=when.date, at_time=when.time)
    return None


def resolve_reminder(phrase: str, clock: Clock) -> ReminderSpec | None:
    """A reminder phrase on its own ('30 minutes before', 'tomorrow at 9') → ReminderSpec."""
    from .normalize import normalize

    norm = normalize(phrase)
    doc = Doc(norm.text)
    offset = take_offset(doc, norm.language)
    if offset is not None:
        return ReminderSpec(offset_minutes=offset)
    return reminder_from(take_when(doc, clock, norm.language), None)
