"""Moving a task by an amount: "postpone it by 2 days", "push the call back a week",
"میٹنگ کو ایک گھنٹہ آگے کر دو". The amount is relative to the task's own due moment, which only
the store knows, so it travels as `TaskFields.shift_minutes` (later is positive).
"""

from __future__ import annotations

import re

from . import lexicon_en as en
from . import lexicon_ur as ur
from .doc import Doc

_UNITS_EN = {"m": 1, "h": 60, "d": 1440, "w": 10080}
_SHIFT_EN = re.compile(
    rf"\b(?P<dir>by|back(?:\s+by)?|forward(?:\s+by)?|ahead(?:\s+by)?|up(?:\s+by)?)\s+"
    rf"(?:(?P<half>half\s+an?)|(?P<n>{en.NUM}))\s*(?P<u>minutes?|mins?|hours?|hrs?|days?|weeks?)\b",
    re.I,
)
# "an hour later", "two days earlier"; "snooze it for 10 minutes" (a deferring verb + for)
_LATER_EN = re.compile(
    rf"\b(?:(?P<half>half\s+an?)|(?P<n>{en.NUM}))\s*(?P<u>minutes?|mins?|hours?|hrs?|days?|weeks?)\s+"
    r"(?P<dir>later|earlier|sooner)\b",
    re.I,
)
_FOR_EN = re.compile(
    rf"\bfor\s+(?:(?P<half>half\s+an?)|(?P<n>{en.NUM}))\s*(?P<u>minutes?|mins?|hours?|hrs?|days?|weeks?)\b",
    re.I,
)
_DEFERRING_EN = re.compile(r"\b(?:snooze|postpone|delay|defer|push)", re.I)
_EARLIER_EN = re.compile(r"\b(?:forward|earlier|up|sooner)\b", re.I)
_SHIFT_UR = re.compile(
    rf"(?<!\w)(?P<n>{ur.NUM}|آدھا|آدھے|ڈیڑھ)\s+(?P<u>منٹ|گھنٹہ|گھنٹے|دن|روز|ہفتہ|ہفتے)"
    r"(?:\s+(?:کے\s+لیے|کے\s+لئے|کے\s+واسطے|تک|بعد))?(?P<earlier>\s+پہلے)?(?=[\s,.!?]*$)"
)
_HALVES = {"آدھا": 0.5, "آدھے": 0.5, "ڈیڑھ": 1.5}


def take_shift(doc: Doc, language: str, said: str = "") -> int | None:
    """An amount to move by; None when the message gives none. Urdu: the amount ends the text
    once the verb ("آگے کر دو", "ملتوی کر دو") is taken. `said` is the whole message (its verb:
    "snooze it for 10 minutes" is a shift, "move it for the team" is not)."""
    if language == "ur" and (m := _SHIFT_UR.search(doc.text)):
        raw = m["n"]
        n = _HALVES.get(raw) or (int(raw) if raw.isdigit() else ur.NUMBER_WORDS.get(raw))
        if n:
            doc.take_match(m)
            minutes = round(n * ur.UNITS_MINUTES[m["u"]])
            return -minutes if m["earlier"] else minutes
    m = _SHIFT_EN.search(doc.text) or _LATER_EN.search(doc.text)
    if m is None and _DEFERRING_EN.search(said):
        m = _FOR_EN.search(doc.text)
    if m is None:
        return None
    n = 0.5 if m["half"] else en.number(m["n"])
    if not n:
        return None
    minutes = round(n * _UNITS_EN[m["u"].lower()[0]])
    direction = m["dir"] if "dir" in m.re.groupindex else ""
    earlier = _EARLIER_EN.search(direction) or _EARLIER_EN.search(doc.text)
    doc.take_match(m)
    return -minutes if earlier else minutes
