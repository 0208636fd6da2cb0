"""Clock times and parts of the day, English and Urdu.

A bare hour is read with the project's rule (1-6 → pm, 7-11 → am, 12 → noon) unless am/pm or a
part of the day ("evening", "شام") says otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from . import lexicon_en as en
from . import lexicon_ur as ur
from .doc import Doc


@dataclass(frozen=True, slots=True)
class TimeHit:
    at: time
    part: str | None  # the part of day said, e.g. "evening", "شام"
    tonight: bool = False  # "tonight"/"آج رات" also mean today


def hour_by_rule(hour: int) -> int:
    if 1 <= hour <= 6:
        return hour + 12
    return hour  # 7-11 morning, 12 noon, 0 and 13-23 already unambiguous


def apply_meridiem(hour: int, meridiem: str | None) -> int:
    if meridiem is None:
        return hour_by_rule(hour)
    if hour > 12:
        return hour
    if meridiem == "am":
        return 0 if hour == 12 else hour
    if meridiem == "pm":
        return hour if hour == 12 else hour + 12
    if meridiem == "noon":  # دوپہر: 12 stays, 1-6 afternoon, 11 a late morning
        return hour + 12 if 1 <= hour <= 6 else hour
    # night: 6-11 pm, 12 midnight, 1-5 the small hours
    if hour == 12:
        return 0
    return hour + 12 if hour >= 6 else hour


_H = r"(?P<h>[01]?\d|2[0-3])"
_M = r"(?::|\.)(?P<m>[0-5]\d)"
_AMPM = r"(?P<mer>[ap])\.?\s?m\b\.?"
_PREP = r"(?:(?:at|@|by|around|from|before|till|until)\s*)"

_EN_AMPM = re.compile(rf"(?:\b{_PREP}|@\s*)?(?<![\w:/.]){_H}(?:{_M})?\s*{_AMPM}", re.I)
_EN_AT = re.compile(
    rf"(?:\b(?:at|around|by)\s+|@\s*)(?<![\w:/.]){_H}(?::(?P<m>[0-5]\d))?(?:\s*o'?clock)?(?![\w/:.]|\.\d)",
    re.I,
)
_EN_CLOCK = re.compile(rf"(?:\b{_PREP})?(?<![\w:/.]){_H}:(?P<m>[0-5]\d)(?![\w:/])", re.I)
_EN_OCLOCK = re.compile(rf"(?:\b{_PREP})?\b{_H}\s*o'?clock\b", re.I)
# "half past 6", "quarter past nine", "quarter to 5", "at 20 past 4" (a bare "5 to 10" is a
# range, so a number of minutes needs "at" or "minutes"): the clock reading first, then
# the am/pm rule (as for Urdu "پونے 5"), so "quarter to 5" = 16:45
_EN_HOUR_WORDS = {
    k: v for k, v in en.NUMBER_WORDS.items() if v <= 12 and k.isalpha() and len(k) > 2
}
_EN_PAST = re.compile(
    rf"(?:\b(?:at|around|by|@)\s*)?\b(?P<q>half|(?:a\s+)?quarter|[1-5]?\d\s+min(?:ute)?s?"
    rf"|(?<=at\s)[1-5]?\d|(?<=@)[1-5]?\d)"
    rf"\s+(?P<rel>past|after|to|till|before)\s+(?P<h>1[0-2]|0?[1-9]|{en.alt(_EN_HOUR_WORDS)})"
    rf"(?:\s*{_AMPM}|(?![\w:]))",
    re.I,
)
_EN_NAMED = re.compile(r"(?:\b(?:at|by|around)\s+)?\b(?P<w>noon|midday|midnight)\b", re.I)
_DATEWORD_BEFORE = re.compile(
    r"(?:\b(?:tomorrow|today|tmrw|tmr|day|weekend|"
    + "|".join(en.WEEKDAYS)
    + r")|\d|\bevery|\beach)\s*$",
    re.I,
)
_EN_PART = re.compile(
    r"\b(?P<q>(?:in|during)\s+the\s+|this\s+|at\s+|on\s+\w+\s+)?(?P<w>morning|afternoon|evening|night|tonight)\b",
    re.I,
)

_UR_PART_ALT = ur.alt(ur.PARTS_OF_DAY)
_UR_H = r"(?P<h>\d{1,2}|" + ur.alt(k for k, v in ur.NUMBER_WORDS.items() if v <= 12) + ")"
_UR_FRAC = r"(?:(?P<frac>" + ur.alt(ur.FRACTIONS) + r")\s+)?"
_UR_PART = re.compile(rf"(?<!\w)(?P<w>{_UR_PART_ALT})(?!\w)(?:\s+(?:کو|میں|کے\s+وقت|کے)(?!\w))?")
_UR_HOUR = re.compile(
    rf"(?<![\w:]){_UR_FRAC}{_UR_H}(?::(?P<m>[0-5]\d))?\s*(?:بجے|بجکر|بج(?=\s*کر))"
    r"(?:\s*کر\s*(?P<m2>\d{1,2})\s*منٹ)?(?:\s+(?:کو|تک|پر)(?!\w))?"
)
_UR_HALF = re.compile(
    r"(?<!\w)(?P<w>" + ur.alt(ur.HALF_HOURS) + r")\s*بجے(?:\s+(?:کو|تک|پر)(?!\w))?"
)
# an hour right after a part of day needs no بجے: "شام 5", "صبح ساڑھے 8"
_UR_AFTER_PART = re.compile(rf"^\s*{_UR_FRAC}{_UR_H}(?::(?P<m>[0-5]\d))?(?![\w:])")
_UR_FRAC_ONLY = re.compile(
    r"(?<!\w)(?P<frac>" + ur.alt(ur.FRACTIONS) + rf")\s+{_UR_H}(?![\w:])(?:\s+(?:کو|تک|پر)(?!\w))?"
)
_EN_BEFORE_PART = re.compile(
    rf"(?:\b(?:at|around|by)\s+)?(?<![\w:/.]){_H}(?::(?P<m>[0-5]\d))?(?:\s*o'?clock)?\s*$", re.I
)
_UR_CLOCK = re.compile(r"(?<![\w:/.])(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?![\w:/])")


def _hm(m: re.Match[str], words: dict[str, int] | None = None) -> tuple[int, int]:
    raw = m.group("h")
    hour = int(raw) if raw.isdigit() else (words or {}).get(raw, 0)
    minute = int(m.group("m") or 0) if "m" in m.re.groupindex else 0
    if "m2" in m.re.groupindex and m.group("m2"):
        minute = int(m.group("m2"))
    if "frac" in m.re.groupindex and m.group("frac"):
        delta = ur.FRACTIONS[m.group("frac")]
        if delta < 0:  # پونے 5 = quarter to five
            hour, minute = (hour - 1) % 12 or 12, 60 + delta
        else:
            minute = delta
    return hour, minute


def _past(m: re.Match[str]) -> tuple[int, int]:
    """(hour, minute) on a 12-hour dial for "half past 6", "quarter to 5", "10 past 4"."""
    raw = m.group("h").lower()
    hour = int(raw) if raw.isdigit() else _EN_HOUR_WORDS[raw]
    q = " ".join(m.group("q").lower().split())
    minutes = 30 if q == "half" else 15 if q.endswith("quarter") else int(q.split()[0])
    if m.group("rel").lower() in ("to", "till", "before"):
        return (hour - 1) % 12 or 12, 60 - minutes
    return hour, minutes


def _take_part(doc: Doc, language: str) -> tuple[str, int, str, int, int] | None:
    """(word, default hour, meridiem, span start, span end) of a part of day."""
    if language == "ur":
        m = _UR_PART.search(doc.text)
        if m:
            word = " ".join(m.group("w").split())
            hour, mer = ur.PARTS_OF_DAY[word]
            return word, hour, mer, m.start(), m.end()
    for m in _EN_PART.finditer(doc.text):
        word = m.group("w").lower()
        # "a morning run" is a title; "tomorrow morning", "in the morning", "at night" are times
        if (
            m.group("q")
            or word == "tonight"
            or _DATEWORD_BEFORE.search(doc.text, 0, m.start())
            or not doc.text[m.end() :].strip(" ,.!?")
        ):
            hour, mer = en.PARTS_OF_DAY[word]
            # "on thursday afternoon": the weekday stays for the date pass
            start = m.start("w") if (m.group("q") or "").lower().startswith("on") else m.start()
            return word, hour, mer, start, m.end()
    return None


def _hinted(word: str) -> tuple[str, int, str, int, int]:
    hour, mer = ur.PARTS_OF_DAY[word] if word in ur.PARTS_OF_DAY else en.PARTS_OF_DAY[word]
    return word, hour, mer, 0, 0


# "by EOD", "end of day tomorrow", "دن کے آخر تک": the end of the working day
END_OF_DAY = time(17, 0)
_EOD_EN = re.compile(
    r"\b(?:(?:by|at|before|until|till)\s+)?(?:the\s+)?(?:eod|e\.o\.d\b\.?|cob|close\s+of\s+business"
    r"|end\s+of\s+(?:the\s+)?(?:(?:work(?:ing)?|business)\s+)?day)\b",
    re.I,
)
_EOD_UR = re.compile(r"(?<!\w)(?:آج\s+)?دن\s+(?:کے|کا)\s+(?:آخر|اختتام)(?:\s+(?:تک|میں|پر))?(?!\w)")


def take_time(doc: Doc, language: str, part_hint: str | None = None) -> TimeHit | None:
    """`part_hint`: a part of day already read elsewhere ("every evening"), for am/pm."""
    for eod in (_EOD_UR, _EOD_EN) if language == "ur" else (_EOD_EN,):
        if m := eod.search(doc.text):
            doc.take_match(m)
            return TimeHit(END_OF_DAY, None)
    part = _take_part(doc, language) or (_hinted(part_hint) if part_hint else None)
    meridiem = None
    if part:
        word, _, meridiem, start, end = part
        doc.take(start, end)

    hour = minute = None
    explicit_mer: str | None = None
    if language == "ur":
        m = None
        if part:  # "شام 5", "5 بجے شام": the hour next to the part
            m = _UR_AFTER_PART.match(doc.text, part[4]) if part[4] else None
        m = m or _UR_HOUR.search(doc.text)
        if m:
            hour, minute = _hm(m, ur.NUMBER_WORDS)
            doc.take_match(m)
        elif hm := _UR_FRAC_ONLY.search(doc.text):
            hour, minute = _hm(hm, ur.NUMBER_WORDS)
            doc.take_match(hm)
        elif hm := _UR_HALF.search(doc.text):
            hour, minute = ur.HALF_HOURS[hm.group("w")]
            doc.take_match(hm)
        elif hm := _UR_CLOCK.search(doc.text):
            hour, minute = _hm(hm)
            doc.take_match(hm)
    if hour is None and (m := _EN_PAST.search(doc.text)):
        hour, minute = _past(m)
        if m.group("mer"):
            explicit_mer = "am" if m.group("mer").lower() == "a" else "pm"
        doc.take_match(m)
    if (
        hour is None and part and part[4] and language == "en"
    ):  # "5 in the morning", "at 10 at night"
        m = _EN_BEFORE_PART.search(doc.text, 0, part[3])
        if m:
            hour, minute = _hm(m)
            doc.take_match(m)
    if hour is None:
        for pattern in (_EN_AMPM, _EN_CLOCK, _EN_OCLOCK, _EN_AT):
            m = pattern.search(doc.text)
            if m:
                hour, minute = _hm(m)
                if "mer" in pattern.groupindex:
                    explicit_mer = "am" if m.group("mer").lower() == "a" else "pm"
                elif pattern is _EN_CLOCK and (m.group("h").startswith("0") or hour > 12):
                    explicit_mer = "24h"
                doc.take_match(m)
                break
    if hour is None and (m := _EN_NAMED.search(doc.text)):
        doc.take_match(m)
        word = m.group("w").lower()
        return TimeHit(time(0, 0) if word == "midnight" else time(12, 0), None)

    if hour is None:
        if not part:
            return None
        return TimeHit(time(part[1], 0), part[0], tonight=part[0] == "tonight")
    if hour > 23 or (explicit_mer in ("am", "pm") and not 1 <= hour <= 12):
        return None
    final = hour if explicit_mer == "24h" else apply_meridiem(hour, explicit_mer or meridiem)
    return TimeHit(
        time(final % 24, minute or 0),
        part[0] if part else None,
        tonight=bool(part and part[0] == "tonight"),
    )
