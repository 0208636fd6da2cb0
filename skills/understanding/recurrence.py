"""Recurrence phrases → RFC 5545 RRULE + first occurrence (dtstart), English and Urdu.

Two steps, because the time and start date of a series are ordinary date/time phrases said
anywhere in the message: `take_recurrence` reads the rule ("every other tuesday", "ہر مہینے کی
27 تاریخ", "10 times", "until March"), then `build_recurrence` anchors it with the moment the
rest of the message gave ("at 7pm", "starting next week").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr

from . import lexicon_en as en
from . import lexicon_ur as ur
from .dates import take_date, take_month_start
from .doc import Clock, Doc
from .types import RecurrenceSpec
from .when import When

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WEEKDAYS_EN = {**en.WEEKDAYS, **en.WEEKDAY_ABBR_SAFE, **en.WEEKDAY_ABBR_WORDS}
_UNIT_FREQ = {
    "hour": "HOURLY", "hr": "HOURLY", "day": "DAILY", "week": "WEEKLY", "fortnight": "WEEKLY",
    "month": "MONTHLY", "quarter": "MONTHLY", "year": "YEARLY",
    "گھنٹ": "HOURLY", "روز": "DAILY", "دن": "DAILY", "ہفت": "WEEKLY", "مہین": "MONTHLY",
    "ماہ": "MONTHLY", "سال": "YEARLY",
}  # fmt: skip
_ADVERBS = {
    "hourly": ("HOURLY", 1), "daily": ("DAILY", 1), "weekly": ("WEEKLY", 1),
    "biweekly": ("WEEKLY", 2), "fortnightly": ("WEEKLY", 2), "monthly": ("MONTHLY", 1),
    "quarterly": ("MONTHLY", 3), "yearly": ("YEARLY", 1), "annually": ("YEARLY", 1),
    "روزانہ": ("DAILY", 1), "ہفتہ وار": ("WEEKLY", 1), "ماہانہ": ("MONTHLY", 1),
    "سالانہ": ("YEARLY", 1),
}  # fmt: skip


@dataclass(slots=True)
class RuleCore:
    freq: str
    interval: int = 1
    byday: list[str] = field(default_factory=list)
    bymonthday: int | None = None
    bymonth: int | None = None
    count: int | None = None
    until: date | None = None
    for_span: tuple[int, str] | None = None  # "for 8 weeks" → (8, "week")
    part: str | None = None  # "every evening": the part of day that sets the default hour
    byhour: list[int] = field(default_factory=list)  # "twice a day": the hours of each day
    phrase: str = ""

    def body(self) -> str:
        parts = [f"FREQ={self.freq}"]
        if self.interval > 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.bymonth:
            parts.append(f"BYMONTH={self.bymonth}")
        if self.bymonthday:
            parts.append(f"BYMONTHDAY={self.bymonthday}")
        if self.byday:
            parts.append("BYDAY=" + ",".join(self.byday))
        if self.byhour:
            parts.append("BYHOUR=" + ",".join(map(str, self.byhour)) + ";BYMINUTE=0")
        return ";".join(parts)


def _freq_of(unit: str) -> str:
    unit = unit.lower()
    for prefix, freq in _UNIT_FREQ.items():
        if unit.startswith(prefix):
            return freq
    raise KeyError(unit)


def _interval(raw: str | None, words: dict[str, int]) -> int | None:
    if not raw:
        return 1
    raw = " ".join(raw.lower().split())
    if raw in ("other", "دوسرے", "دوسری", "دوسرا"):
        return 2
    raw = re.sub(r"(?:st|nd|rd|th)$", "", raw)
    if raw.isdigit():
        return int(raw) or None
    return words.get(raw) or en.ORDINALS.get(raw)


# --- English patterns ---------------------------------------------------------------------
_EVERY = r"\b(?:every|each|evry)\s+"
_WD = en.alt(_WEEKDAYS_EN)
# after a bare space "sat"/"sun" are days only where the list ends ("gym every mon wed sat"),
# so "every monday sun salutations" keeps its title
_WD_BARE = (
    rf"(?:(?!(?:sat|sun)\b){_WD}s?\b\.?"
    r"|(?:sat|sun)\b\.?(?=\s*(?:$|[,.;:!?#@]|\d|at\b|from\b|until\b|till\b|starting\b)))"
)
# "mon, wed and fri", "mon/wed", and the bare "mon wed fri" people type
_WD_LIST = rf"{_WD}s?\b\.?(?:\s*(?:,|and|&|/|or|plus)\s*(?:on\s+)?{_WD}s?\b\.?|\s+{_WD_BARE})*"
_ORD_EN = r"(?P<ord>first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)"
_MONTH_EN = en.alt(en.MONTHS)
_ON_SUFFIX = (
    rf"(?:\s+on\s+(?:the\s+)?(?:(?P<sd>[0-3]?\d)(?:st|nd|rd|th)?\b(?:\s+day)?|(?P<slast>last\s+day)"
    rf"|(?P<swd>{_WD_LIST})))?"
)
_EN_UNIT = re.compile(
    rf"{_EVERY}(?:(?P<n>other|{en.NUM}|\d+(?:st|nd|rd|th)|second|third|fourth)\s+)?"
    r"(?P<u>hours?|hrs?|days?|weeks?|fortnights?|months?|quarters?|years?)\b" + _ON_SUFFIX,
    re.I,
)
_EN_NTH_WEEKDAY = re.compile(
    rf"{_EVERY}(?:month\s+on\s+)?(?:the\s+)?{_ORD_EN}\s+(?P<wd>{_WD})\b"
    r"(?:\s+of\s+(?:the|every|each)\s+month)?"
    rf"|\b(?:on\s+)?the\s+{_ORD_EN.replace('ord', 'ord2')}\s+(?P<wd2>{_WD})"
    r"\s+of\s+(?:every|each)\s+month\b",
    re.I,
)
_EN_WEEKDAYS = re.compile(
    r"(?:\b(?:every|each)\s+(?:weekday|workday|business\s+day|week\s+day|working\s+day)s?"
    r"|\bon\s+weekdays)\b",
    re.I,
)
_EN_WEEKEND = re.compile(r"\b(?:every|each)\s+weekend\b|\bon\s+weekends\b", re.I)
# "monthly on the 20th", "weekly on mondays": an adverb takes the same "on ..." as "every month"
_ON_AFTER = re.compile(_ON_SUFFIX, re.I)
_EN_WEEKDAY_LIST = re.compile(rf"{_EVERY}(?P<other>other\s+)?(?P<list>{_WD_LIST})", re.I)
_EN_PART = re.compile(r"\b(?:every|each)\s+(?P<p>morning|afternoon|evening|night)\b", re.I)
_EN_MONTHDAY = re.compile(
    r"\b(?:every|each)\s+(?:month\s+on\s+)?(?:the\s+)?(?:(?P<last>last\s+day)|(?P<d>[0-3]?\d)(?:st|nd|rd|th))"
    r"(?:\s+day)?(?:\s+of\s+(?:the|every|each)\s+month)?\b"
    r"|\b(?:on\s+)?the\s+(?:(?P<last2>last\s+day)|(?P<d2>[0-3]?\d)(?:st|nd|rd|th))\s+of\s+(?:every|each|the)\s+month\b"
    r"|\b(?:on\s+)?(?:the\s+)?last\s+day\s+of\s+(?:every|each|the)\s+month\b",
    re.I,
)
_EN_YEARLY_DATE = re.compile(
    rf"{_EVERY}(?:year\s+on\s+)?(?:(?P<mo>{_MONTH_EN})\.?\s+(?:the\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
    rf"|(?:the\s+)?(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mo2>{_MONTH_EN}))\b",
    re.I,
)
_EN_ADVERB = re.compile(
    r"(?<!\bthe\s)(?<!\ba\s)(?<!\ban\s)(?<!\bmy\s)(?<!\bour\s)\b(?P<adv>"
    + en.alt(k for k in _ADVERBS if k.isascii())
    + r")\b(?=\s*(?:$|[,.;:!?)]|#|@|\d|(?:at|on|from|starting|until|till|for|in|and|every|by|before"
    r"|with|remind|p[1-4]|morning|evening|night|afternoon)\b))",
    re.I,
)

# "twice a day", "three times a day": spread over the waking day (CONVENTIONS.md)
TIMES_A_DAY: dict[int, list[int]] = {2: [9, 21], 3: [9, 15, 21], 4: [9, 13, 17, 21]}
_EN_TIMES_A_DAY = re.compile(
    r"\b(?:(?P<twice>twice)|(?P<thrice>thrice)|(?P<n>two|three|four|[2-4])\s+times)\s+(?:a|per|each|every)\s+day\b",
    re.I,
)
# "every weekday except friday", "every day but sunday"
_EN_EXCEPT = re.compile(
    rf"\s*,?\s*\b(?:except(?:\s+for)?|but\s+not|but|excluding|other\s+than|apart\s+from)\s+(?:on\s+)?"
    rf"(?P<list>{_WD_LIST})",
    re.I,
)
_EN_MONTH_END = re.compile(
    r"\b(?:at\s+)?(?:the\s+)?end\s+of\s+(?:every|each)\s+month\b|\b(?:every|each)\s+month[\s-]*end\b"
    r"|\b(?:every|each)\s+end\s+of\s+(?:the\s+)?month\b",
    re.I,
)

# --- Urdu patterns ------------------------------------------------------------------------
_HAR = r"(?<!\w)ہر\s+"
_WD_UR = ur.alt(ur.WEEKDAYS)
_ORD_UR = ur.alt(ur.ORDINALS)
_MAH = r"(?:مہینے|مہینہ|ماہ)"
_UR_SAT = re.compile(rf"{_HAR}(?:ہفتے|ہفتہ)\s+(?:کو|کے\s+(?:دن|روز))(?!\w)")
_UR_TIMES_A_DAY = re.compile(
    r"(?<!\w)(?:(?:ہر\s+)?(?:دن|روز)\s+(?:میں\s+)?|روزانہ\s+)(?P<n>دو|تین|چار|[2-4])\s*(?:بار|دفعہ|مرتبہ)(?!\w)"
)
_UR_EXCEPT = re.compile(
    rf"(?<!\w)(?P<list>(?:{_WD_UR}|ہفتے|ہفتہ)(?:\s*(?:اور|,)\s*(?:{_WD_UR}|ہفتے|ہفتہ))*)\s+(?:کے|کو)\s+"
    r"(?:علاوہ|سوا|سواء|چھوڑ\s+کر)(?!\w)"
)
_UR_LAST_DAY = re.compile(
    rf"(?<!\w)(?:ہر\s+)?{_MAH}\s+(?:کی|کے)\s+آخری\s+(?:تاریخ|دن)(?:\s+کو)?(?!\w)"
    rf"|{_HAR}{_MAH}\s+(?:کے|کی)\s+(?:آخر|اختتام)(?:\s+(?:میں|پر))?(?!\w)"
)
_UR_MONTHDAY = re.compile(
    rf"{_HAR}{_MAH}\s+(?:کی|کو)\s+(?:(?P<d>[0-3]?\d)(?:\s*تاریخ)?|(?P<o>{ur.alt(ur.DAY_ORDINALS)})\s+تاریخ)"
    r"(?:\s+کو)?(?!\w)"
    rf"|(?<!\w)ہر\s+(?P<d2>{ur.MONTH_DAY})\s*تاریخ(?:\s+کو)?(?!\w)"
)
_UR_NTH_WEEKDAY = re.compile(
    rf"{_HAR}{_MAH}\s+(?:کے|کی|کا)\s+(?P<ord>{_ORD_UR})\s+(?P<wd>{_WD_UR})(?:\s+کو)?(?!\w)"
)
_UR_WEEKDAYS = re.compile(rf"{_HAR}(?:کام\s+کے|ورکنگ|کاروباری)\s+دن(?:\s+کو)?(?!\w)")
_UR_WEEKEND = re.compile(rf"{_HAR}(?:ہفتے\s+کے\s+آخر|ویک\s*اینڈ)(?:\s+(?:کو|پر|میں))?(?!\w)")
# inside a list of days ہفتہ/ہفتے is Saturday: "ہر بدھ اور ہفتے کو", "ہر ہفتے اور اتوار"
_SAT_IN_LIST = r"(?:ہفتہ|ہفتے)"
_WEEKDAYS_UR = {**ur.WEEKDAYS, **dict.fromkeys(ur.SATURDAY_FORMS, 5)}
_UR_WEEKDAY_LIST = re.compile(
    rf"{_HAR}(?P<other>دوسرے\s+)?(?P<list>(?:{_WD_UR}|{_SAT_IN_LIST}(?=\s*(?:اور|,)))"
    rf"(?:\s*(?:اور|,)\s*(?:{_WD_UR}|{_SAT_IN_LIST}))*)(?!\w)(?:\s+کو(?!\w))?"
)
_UR_YEARLY_DATE = re.compile(
    rf"{_HAR}سال\s+(?:(?P<d>[0-3]?\d)\s+(?P<mo>{ur.alt(ur.MONTHS)})|(?P<mo2>{ur.alt(ur.MONTHS)})\s+کی\s+(?P<d2>[0-3]?\d)(?:\s+تاریخ)?)(?!\w)(?:\s+کو(?!\w))?"
)
_UR_UNIT = re.compile(
    rf"{_HAR}(?:(?P<n>دوسرے|دوسری|{ur.NUM})\s+)?"
    rf"(?P<u>روز|دن|ہفتے|ہفتہ|{_MAH}|سال|گھنٹے|گھنٹہ)(?!\w)(?:\s+(?:کو|میں|(?:کے\s+)?بعد)(?!\w))?"
)
_UR_PART = re.compile(
    r"(?<!\w)(?:ہر\s+روز|ہر\s+دن|ہر|روز|روزانہ)\s+(?P<p>صبح|شام|رات|دوپہر|سہ\s*پہر)(?!\w)"
)
_UR_ADVERB = re.compile(
    r"(?<!\w)(?:(?P<daily>روزانہ)(?!\s+(?:کا|کی|کے)(?!\w))"
    r"|(?P<adv>ہفتہ\s+وار|ماہانہ|سالانہ)(?=\s*(?:$|[,.;:!?]|\d|#|(?:بنیاد|طور|صبح|شام|رات|دوپہر)(?!\w))))"
    r"(?:\s+(?:بنیاد|طور)\s+پر)?"
)

# --- modifiers ----------------------------------------------------------------------------
_COUNT_EN = re.compile(rf"\b(?:for\s+)?(?P<n>{en.NUM})\s+times\b(?:\s+in\s+total)?", re.I)
_COUNT_UR = re.compile(rf"(?<!\w)(?P<n>{ur.NUM})\s*(?:بار|دفعہ|مرتبہ)(?!\w)")
_FOR_EN = re.compile(
    rf"\bfor\s+(?:the\s+next\s+)?(?P<n>{en.NUM})\s+(?P<u>days?|weeks?|months?|years?)\b", re.I
)
_FOR_UR = re.compile(
    rf"(?<!\w)(?P<n>{ur.NUM})\s+(?P<u>دن|دنوں|ہفتے|ہفتوں|مہینے|مہینوں|سال)\s+(?:تک|کے\s+لیے|کے\s+لئے)(?!\w)"
)
_UNTIL_EN = re.compile(
    r"\b(?:until|till|til|untill|through|thru|up\s+to|ending|ends?)\s+(?:on\s+)?", re.I
)
_UNTIL_UR = re.compile(r"(?<!\w)تک(?!\w)")
_STARTING_EN = re.compile(
    r"\b(?:starting|beginning|effective|start)(?:\s+(?:on|at|from))?\b|\bfrom(?=\s+(?:next|this|tomorrow|today|the|\d|"
    + _WD[3:-1]
    + r"|"
    + _MONTH_EN[3:-1]
    + r"))",
    re.I,
)
_STARTING_UR = re.compile(r"(?<!\w)سے\s+شروع(?:\s+(?:کر\s+کے|کرکے|ہو\s+کر|کرتے\s+ہوئے))?(?!\w)")


def _weekday_codes(text: str, table: dict[str, int]) -> list[str]:
    codes: list[str] = []
    for word in re.findall(r"\w+", text.lower()):
        key = word if word in table else word.rstrip("s")
        if key in table and DAY_CODES[table[key]] not in codes:
            codes.append(DAY_CODES[table[key]])
    return sorted(codes, key=DAY_CODES.index)


def _apply_on(core: RuleCore, m: re.Match[str]) -> bool:
    """The "on the 20th" / "on the last day" / "on mondays" part of a rule; True when it fit."""
    if m["sd"] and core.freq == "MONTHLY" and 1 <= int(m["sd"]) <= 31:
        core.bymonthday = int(m["sd"])
    elif m["slast"] and core.freq == "MONTHLY":
        core.bymonthday = -1
    elif m["swd"] and core.freq == "WEEKLY":
        core.byday = _weekday_codes(m["swd"], _WEEKDAYS_EN)
    else:
        return False
    return True


def _times_a_day(n: int | None, phrase: str) -> RuleCore | None:
    hours = TIMES_A_DAY.get(n or 0)
    return RuleCore("DAILY", byhour=list(hours), phrase=phrase) if hours else None


def _core_en(doc: Doc) -> RuleCore | None:
    text = doc.text
    if m := _EN_TIMES_A_DAY.search(text):
        n = 2 if m["twice"] else 3 if m["thrice"] else en.number(m["n"])
        if core := _times_a_day(n, m[0]):
            doc.take_match(m)
            return core
    if m := _EN_MONTH_END.search(text):
        doc.take_match(m)
        return RuleCore("MONTHLY", bymonthday=-1, phrase=m[0])
    if m := _EN_NTH_WEEKDAY.search(text):
        ordinal = en.ORDINALS[(m["ord"] or m["ord2"]).lower()]
        code = DAY_CODES[_WEEKDAYS_EN[(m["wd"] or m["wd2"]).lower().rstrip(".")]]
        doc.take_match(m)
        return RuleCore("MONTHLY", byday=[f"{ordinal}{code}"], phrase=m[0])
    if m := _EN_YEARLY_DATE.search(text):
        month = en.MONTHS[(m["mo"] or m["mo2"]).lower()]
        day = int(m["d"] or m["d2"])
        if 1 <= day <= 31:
            doc.take_match(m)
            return RuleCore("YEARLY", bymonth=month, bymonthday=day, phrase=m[0])
    if m := _EN_MONTHDAY.search(text):
        raw = m["d"] or m["d2"]
        day = int(raw) if raw else -1
        if -1 <= day <= 31 and day != 0:
            doc.take_match(m)
            return RuleCore("MONTHLY", bymonthday=day, phrase=m[0])
    if m := _EN_WEEKDAYS.search(text):
        doc.take_match(m)
        return RuleCore("WEEKLY", byday=list(DAY_CODES[:5]), phrase=m[0])
    if m := _EN_WEEKEND.search(text):
        doc.take_match(m)
        return RuleCore("WEEKLY", byday=["SA", "SU"], phrase=m[0])
    if m := _EN_UNIT.search(text):
        interval = _interval(m["n"], en.NUMBER_WORDS)
        if interval:
            unit = m["u"].lower()
            core = RuleCore(_freq_of(unit), interval=interval, phrase=m[0])
            if unit.startswith("fortnight"):
                core.interval *= 2
            if unit.startswith("quarter"):
                core.interval *= 3
            _apply_on(core, m)
            doc.take_match(m)
            return core
    if m := _EN_WEEKDAY_LIST.search(text):
        codes = _weekday_codes(m["list"], _WEEKDAYS_EN)
        if codes:
            doc.take_match(m)
            return RuleCore("WEEKLY", interval=2 if m["other"] else 1, byday=codes, phrase=m[0])
    if m := _EN_PART.search(text):
        doc.take_match(m)
        return RuleCore("DAILY", phrase=m[0], part=m["p"].lower())
    if m := _EN_ADVERB.search(text):
        freq, interval = _ADVERBS[m["adv"].lower()]
        core = RuleCore(freq, interval=interval, phrase=m[0])
        doc.take_match(m)
        if (on := _ON_AFTER.match(text, m.end())) and on[0] and _apply_on(core, on):
            core.phrase += on[0]
            doc.take_match(on)
        return core
    return None


def _core_ur(doc: Doc) -> RuleCore | None:
    text = doc.text
    if m := _UR_TIMES_A_DAY.search(text):
        raw = m["n"]
        if core := _times_a_day(int(raw) if raw.isdigit() else ur.NUMBER_WORDS.get(raw), m[0]):
            doc.take_match(m)
            return core
    if m := _UR_SAT.search(text):
        doc.take_match(m)
        return RuleCore("WEEKLY", byday=["SA"], phrase=m[0])
    if m := _UR_LAST_DAY.search(text):
        doc.take_match(m)
        return RuleCore("MONTHLY", bymonthday=-1, phrase=m[0])
    if m := _UR_MONTHDAY.search(text):
        day = ur.month_day(m["d"] or m["o"] or m["d2"])
        if 1 <= day <= 31:
            doc.take_match(m)
            return RuleCore("MONTHLY", bymonthday=day, phrase=m[0])
    if m := _UR_NTH_WEEKDAY.search(text):
        doc.take_match(m)
        code = DAY_CODES[ur.WEEKDAYS[m["wd"]]]
        return RuleCore("MONTHLY", byday=[f"{ur.ORDINALS[m['ord']]}{code}"], phrase=m[0])
    if m := _UR_YEARLY_DATE.search(text):
        doc.take_match(m)
        month = ur.MONTHS[m["mo"] or m["mo2"]]
        return RuleCore("YEARLY", bymonth=month, bymonthday=int(m["d"] or m["d2"]), phrase=m[0])
    if m := _UR_WEEKDAYS.search(text):
        doc.take_match(m)
        return RuleCore("WEEKLY", byday=list(DAY_CODES[:5]), phrase=m[0])
    if m := _UR_WEEKEND.search(text):
        doc.take_match(m)
        return RuleCore("WEEKLY", byday=["SA", "SU"], phrase=m[0])
    if m := _UR_WEEKDAY_LIST.search(text):
        codes = _weekday_codes(m["list"], _WEEKDAYS_UR)
        doc.take_match(m)
        return RuleCore("WEEKLY", interval=2 if m["other"] else 1, byday=codes, phrase=m[0])
    if m := _UR_PART.search(text):
        doc.take_match(m)
        return RuleCore("DAILY", phrase=m[0], part=" ".join(m["p"].split()))
    if m := _UR_UNIT.search(text):
        interval = _interval(m["n"], ur.NUMBER_WORDS)
        if interval:
            doc.take_match(m)
            return RuleCore(_freq_of(m["u"]), interval=interval, phrase=m[0])
    if m := _UR_ADVERB.search(text):
        word = "روزانہ" if m["daily"] else " ".join(m["adv"].split())
        freq, interval = _ADVERBS[word]
        doc.take_match(m)
        return RuleCore(freq, interval=interval, phrase=m[0])
    return None


def _date_after(doc: Doc, pos: int, clock: Clock, language: str) -> date | None:
    """A date phrase starting right at `pos` (used after 'until')."""
    sub = Doc(doc.text[pos:])
    found = take_date(sub, clock, language)
    if found is not None:
        changed = [
            i for i, (a, b) in enumerate(zip(doc.text[pos:], sub.text, strict=True)) if a != b
        ]
        if changed and not doc.text[pos : pos + changed[0]].strip():
            doc.take(pos, pos + changed[-1] + 1)
            return found
    month = take_month_start(doc, clock, pos)
    if month:
        doc.take(pos, month[1])
        return month[0]
    return None


def _date_before(doc: Doc, end: int, clock: Clock) -> tuple[date, int] | None:
    """An Urdu date phrase ending right at `end` (used before 'تک'); (date, start)."""
    sub = Doc(doc.text[:end])
    found = take_date(sub, clock, "ur")
    if found is not None:
        changed = [
            i for i, (a, b) in enumerate(zip(doc.text[:end], sub.text, strict=True)) if a != b
        ]
        if changed and not doc.text[changed[-1] + 1 : end].strip():
            return found, changed[0]
    m = re.search(rf"(?<!\w)(?P<mo>{ur.alt(ur.MONTHS)})(?:\s+(?P<y>\d{{4}}))?\s*$", doc.text[:end])
    if m:
        start = take_month_start(Doc(m[0]), clock, 0)
        if start:
            return start[0], m.start()
    return None


def _modifiers(core: RuleCore, doc: Doc, clock: Clock, language: str) -> None:
    words = ur.NUMBER_WORDS if language == "ur" else en.NUMBER_WORDS
    for pattern in (_COUNT_UR, _COUNT_EN) if language == "ur" else (_COUNT_EN,):
        if m := pattern.search(doc.text):
            n = _interval(m["n"], words) or _interval(m["n"], en.NUMBER_WORDS)
            if n:
                core.count = n
                doc.take_match(m)
                break
    for pattern in (_FOR_UR, _FOR_EN) if language == "ur" else (_FOR_EN,):
        if m := pattern.search(doc.text):
            n = _interval(m["n"], words) or _interval(m["n"], en.NUMBER_WORDS)
            if n:
                unit = m["u"].lower()
                key = (
                    next(k for k in ("day", "week", "month", "year") if unit.startswith(k))
                    if unit.isascii()
                    else (
                        "day"
                        if unit.startswith("دن")
                        else "week"
                        if unit.startswith("ہفت")
                        else "month"
                        if unit.startswith("مہین")
                        else "year"
                    )
                )
                core.for_span = (n, key)
                doc.take_match(m)
                break
    if core.until is None and (m := _UNTIL_EN.search(doc.text)):
        until = _date_after(doc, m.end(), clock, language)
        if until is not None:
            core.until = until
            doc.take_match(m)
    if core.until is None and language == "ur":
        for m in _UNTIL_UR.finditer(doc.text):
            found = _date_before(doc, m.start(), clock)
            if found:
                core.until = found[0]
                doc.take(found[1], m.end())
                break
    for pattern in (_STARTING_UR, _STARTING_EN) if language == "ur" else (_STARTING_EN,):
        if m := pattern.search(doc.text):
            doc.take_match(m)


def _except(core: RuleCore, doc: Doc, language: str) -> None:
    """ "every weekday except friday", "جمعہ کے علاوہ ہر روز": those days leave the rule."""
    if (
        core.freq not in ("DAILY", "WEEKLY")
        or core.byhour
        or (core.freq == "DAILY" and core.interval > 1)
    ):
        return
    patterns = ((_UR_EXCEPT, _WEEKDAYS_UR), (_EN_EXCEPT, _WEEKDAYS_EN))
    for pattern, table in patterns if language == "ur" else patterns[1:]:
        if not (m := pattern.search(doc.text)):
            continue
        dropped = _weekday_codes(m["list"], table)
        days = core.byday or (list(DAY_CODES) if core.freq == "DAILY" else [])
        kept = [code for code in days if code not in dropped]
        if dropped and kept and len(kept) < len(days):
            core.freq, core.byday = "WEEKLY", kept
            core.phrase += f" {m[0].strip()}"
            doc.take_match(m)
        return


def take_recurrence(doc: Doc, clock: Clock, language: str) -> RuleCore | None:
    core = (_core_ur(doc) if language == "ur" else None) or _core_en(doc)
    if core is not None:
        _except(core, doc, language)
        _modifiers(core, doc, clock, language)
    return core


def _fmt(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def build_recurrence(core: RuleCore, when: When, clock: Clock) -> RecurrenceSpec:
    """Anchor the rule: dtstart is the first occurrence on or after now at the said time."""
    now = clock.naive.replace(second=0, microsecond=0)
    at = when.time if when.time_said and when.time else time(9, 0)
    start_day = when.date if when.date_said else None
    body = core.body()
    if core.byhour:
        # "twice a day": the next of the day's hours, from the start of today (or the date said)
        candidate = datetime.combine(start_day or clock.today, time(0))
    elif core.freq == "HOURLY" and not when.time_said:
        # "the next whole hour" is strictly ahead, even when said on the hour
        candidate = now.replace(minute=0) + timedelta(hours=1)
        if start_day:
            candidate = datetime.combine(start_day, time(candidate.hour))
    else:
        candidate = datetime.combine(start_day or clock.today, at)
        if start_day is None and candidate < now and core.freq != "HOURLY":
            candidate += timedelta(days=1)
    # the first occurrence is found without INTERVAL: "every other tuesday" starts next tuesday,
    # not on whichever week dateutil's interval grid happens to start from
    anchor = re.sub(r";INTERVAL=\d+", "", body) if core.freq != "HOURLY" else body
    rule = rrulestr(anchor, dtstart=candidate)
    first = rule.after(max(candidate, now), inc=True) or candidate
    if core.count:
        body += f";COUNT={core.count}"
    elif core.for_span:
        n, unit = core.for_span
        end = first + relativedelta(**{f"{unit}s": n}) - timedelta(seconds=1)
        body += f";UNTIL={_fmt(end)}"
    elif core.until:
        body += f";UNTIL={_fmt(datetime.combine(core.until, time(23, 59, 59)))}"
    return RecurrenceSpec(rrule=body, dtstart=first, phrase=core.phrase.strip())
