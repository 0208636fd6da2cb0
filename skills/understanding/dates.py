"""Calendar dates, English and Urdu, resolved against the user's local today.

Each pattern has a resolver returning a date or None; None means "this was not a date after all"
(e.g. 31/2, or the guard in front of "The 9/11 Report") and the words stay in the title.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from . import lexicon_en as en
from . import lexicon_ur as ur
from .doc import Clock, Doc

Resolver = Callable[[re.Match[str], date], date | None]


def next_weekday(today: date, weekday: int, *, strict: bool = False) -> date:
    """The given weekday on or after today (strictly after when `strict`)."""
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0 and strict:
        ahead = 7
    return today + timedelta(days=ahead)


def next_month_day(today: date, month: int, day: int, year: int | None = None) -> date | None:
    """`day month` in `year`, else the next on or after today (Feb 29 waits for a leap year)."""
    if year is not None:
        try:
            return date(year, month, day)
        except ValueError:
            return None
    for y in range(today.year, today.year + 9):
        try:
            found = date(y, month, day)
        except ValueError:
            continue
        if found >= today:
            return found
    return None


def next_day_of_month(today: date, day: int) -> date | None:
    """A bare '27th': this month's, or the next month that has it when already past."""
    if not 1 <= day <= 31:
        return None
    first = today.replace(day=1)
    for i in range(13):
        month = first + relativedelta(months=i)
        if day <= calendar.monthrange(month.year, month.month)[1]:
            found = month.replace(day=day)
            if found >= today:
                return found
    return None


def end_of_month(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def weekend(today: date) -> date:
    return next_weekday(today, 5)


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    y = int(raw)
    return y + 2000 if y < 100 else y


def _num(raw: str, words: dict[str, int]) -> int | None:
    raw = " ".join(raw.lower().split())
    return int(raw) if raw.isdigit() else words.get(raw)


def _shift(today: date, n: int, unit: str) -> date:
    unit = unit.lower()
    if unit.startswith(("day", "دن", "روز")):
        return today + timedelta(days=n)
    if unit.startswith(("week", "fortnight", "ہفت")):
        return today + timedelta(weeks=n * (2 if unit.startswith("fortnight") else 1))
    if unit.startswith(("month", "مہین", "ماہ")):
        return today + relativedelta(months=n)
    return today + relativedelta(years=n)


# --- English -----------------------------------------------------------------------------
_PRE = r"(?:\b(?:on|by|for|to|until|till|due|before|from|starting|start|this\s+coming)\s+)?"
_MONTH_EN = en.alt(en.MONTHS)
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_WD_FULL = en.alt(en.WEEKDAYS)
_WD_SAFE = en.alt(en.WEEKDAY_ABBR_SAFE)
_WD_WORD = en.alt(en.WEEKDAY_ABBR_WORDS)
_WEEKDAY_ALL = {**en.WEEKDAYS, **en.WEEKDAY_ABBR_SAFE, **en.WEEKDAY_ABBR_WORDS}


def _wd(m: re.Match[str], today: date) -> date | None:
    word = m.group("wd").lower().rstrip(".")
    mod = (m.group("mod") or "").lower()
    target = _WEEKDAY_ALL[word]
    if m.groupdict().get("nw"):  # "friday next week": that weekday in next week
        monday = next_weekday(today, 0, strict=True)
        return monday + timedelta(days=target)
    if mod in ("next", "following"):
        return next_weekday(today, target, strict=True)
    return next_weekday(today, target)


def _month_end(today: date, month: int) -> date:
    """'end of march': the last day of the next March that has not ended yet."""
    year = today.year if end_of_month(date(today.year, month, 1)) >= today else today.year + 1
    return end_of_month(date(year, month, 1))


_EN: list[tuple[re.Pattern[str], Resolver]] = [
    (
        re.compile(rf"{_PRE}\b(?P<y>\d{{4}})-(?P<mo>\d{{1,2}})-(?P<d>\d{{1,2}})\b"),
        lambda m, t: (
            next_month_day(t, int(m["mo"]), int(m["d"]), int(m["y"]))
            if 1 <= int(m["mo"]) <= 12
            else None
        ),
    ),
    (
        re.compile(rf"{_PRE}\b(?:the\s+)?day\s+after\s+(?:tomorrow|tmrw)\b", re.I),
        lambda m, t: t + timedelta(days=2),
    ),
    (re.compile(r"\b(?:on\s+|for\s+)?yesterday\b", re.I), lambda m, t: t - timedelta(days=1)),
    (
        re.compile(rf"{_PRE}\b(?:today|tonight|tmrw|tmr|tomorrow|tomorow)\b", re.I),
        lambda m, t: (
            t if m.group(0).lower().split()[-1] in ("today", "tonight") else t + timedelta(days=1)
        ),
    ),
    (
        re.compile(
            rf"{_PRE}\b(?:(?P<mod>this|next|coming|the)\s+)?weekend\b|\bon\s+the\s+weekend\b", re.I
        ),
        lambda m, t: (
            weekend(t) + timedelta(days=7 if (m.group("mod") or "").lower() == "next" else 0)
        ),
    ),
    (
        re.compile(rf"{_PRE}\b(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month\b|\beom\b", re.I),
        lambda m, t: end_of_month(t),
    ),
    (
        re.compile(rf"{_PRE}\b(?:the\s+)?end\s+of\s+(?P<mo>{_MONTH_EN})\b", re.I),
        lambda m, t: _month_end(t, en.MONTHS[m["mo"].lower()]),
    ),
    (
        re.compile(rf"{_PRE}\b(?:mid|middle\s+of)[\s-]*(?P<mo>{_MONTH_EN}|month)\b", re.I),
        lambda m, t: (
            next_day_of_month(t, 15)
            if m["mo"].lower() == "month"
            else next_month_day(t, en.MONTHS[m["mo"].lower()], 15)
        ),
    ),
    (
        re.compile(
            rf"\b(?:in|within|after)\s+(?P<n>{en.NUM})\s+(?P<u>days?|weeks?|months?|years?|fortnights?)\b"
            rf"|\b(?P<n2>{en.NUM})\s+(?P<u2>days?|weeks?|months?|years?)\s+from\s+(?:now|today)\b",
            re.I,
        ),
        lambda m, t: (
            _shift(t, n, m["u"] or m["u2"])
            if (n := _num(m["n"] or m["n2"], en.NUMBER_WORDS)) is not None
            else None
        ),
    ),
    # "next week friday", "next week on fri": that weekday in next week, like "friday next week"
    (
        re.compile(rf"{_PRE}\bnext\s+week\s+(?:on\s+)?(?P<wd>{_WD_FULL}|{_WD_SAFE})\b\.?", re.I),
        lambda m, t: (
            next_weekday(t, 0, strict=True) + timedelta(days=_WEEKDAY_ALL[m["wd"].lower()])
        ),
    ),
    (
        re.compile(
            rf"{_PRE}\b(?:(?P<mod>this|next|coming|following|on)\s+)?(?P<wd>{_WD_FULL}|{_WD_SAFE})\b\.?"
            r"(?P<nw>\s+next\s+week\b)?",
            re.I,
        ),
        _wd,
    ),
    (
        re.compile(rf"{_PRE}\bnext\s+(?P<u>week|month|year)\b", re.I),
        lambda m, t: {
            "week": next_weekday(t, 0, strict=True),
            "month": (t + relativedelta(months=1)).replace(day=1),
            "year": date(t.year + 1, 1, 1),
        }[m["u"].lower()],
    ),
    (
        re.compile(
            rf"{_PRE}\b(?P<mod>this|next|coming|on|by)\s+(?P<wd>{_WD_WORD})\b\.?"
            rf"|\b(?P<wd2>{_WD_WORD})\b(?=\s*(?:@|at\s+\d|\d{{1,2}}\s*[ap]m))",
            re.I,
        ),
        lambda m, t: next_weekday(
            t,
            _WEEKDAY_ALL[(m["wd"] or m["wd2"]).lower()],
            strict=(m["mod"] or "").lower() == "next",
        ),
    ),
    (
        re.compile(
            rf"{_PRE}\b(?P<mo>{_MONTH_EN})\.?\s+(?:the\s+)?{_DAY}\b(?:,?\s+(?P<y>\d{{4}})\b)?", re.I
        ),
        lambda m, t: next_month_day(t, en.MONTHS[m["mo"].lower()], int(m["d"]), _year(m["y"])),
    ),
    (
        re.compile(
            rf"{_PRE}(?:\bthe\s+)?\b{_DAY}\s+(?:of\s+)?(?P<mo>{_MONTH_EN})\b\.?(?:,?\s+(?P<y>\d{{4}})\b)?",
            re.I,
        ),
        lambda m, t: next_month_day(t, en.MONTHS[m["mo"].lower()], int(m["d"]), _year(m["y"])),
    ),
    (
        re.compile(
            rf"{_PRE}(?:\bthe\s+)?\b(?P<w>{en.alt(en.DAY_ORDINALS)})\s+(?:of\s+)?(?P<mo>{_MONTH_EN})\b\.?",
            re.I,
        ),
        lambda m, t: next_month_day(
            t, en.MONTHS[m["mo"].lower()], en.DAY_ORDINALS[" ".join(m["w"].lower().split())]
        ),
    ),
]

# dd/mm(/yyyy), day first; guarded against titles like "The 9/11 Report"
_SLASH = re.compile(
    rf"{_PRE}(?<![\w/.-])(?P<d>[0-3]?\d)[/.](?P<mo>[0-3]?\d)(?:[/.](?P<y>\d{{4}}|\d{{2}}))?(?![\w/]|\.\d)",
    re.I,
)
_ARTICLE_BEFORE = re.compile(r"\b(?:the|a|an|my|our|his|her|their)\s*$", re.I)
_CAPITAL_AFTER = re.compile(r"\s+[A-Z]")
# a bare ordinal day ("27th") needs a date-ish word before it or to end the message
_SPELLED_DAY = en.alt(en.DAY_ORDINALS)
_ORDINAL = re.compile(
    r"(?P<pre>\b(?:on|by|due|until|till|before|for)\s+(?:the\s+)?)?(?:\bthe\s+)?(?<![\w/])(?P<d>[0-3]?\d)(?:st|nd|rd|th)\b"
    r"(?P<of>\s+of\s+(?:(?P<next>next)|this|the)\s+month\b)?"
    # a day in words needs the date word before it: "on the first", "by the fifteenth"
    rf"|(?P<pre2>\b(?:on|by|due|until|till|before|for)\s+the\s+)(?P<w>{_SPELLED_DAY})\b"
    r"(?P<of2>\s+of\s+(?:(?P<next2>next)|this|the)\s+month\b)?",
    re.I,
)


def _ordinal_day(m: re.Match[str], today: date) -> date | None:
    """ "the 1st", "on the first", "the 3rd of next month" → that day of this or next month."""
    day = int(m["d"]) if m["d"] else en.DAY_ORDINALS[" ".join(m["w"].lower().split())]
    if m["next"] or m["next2"]:
        return next_day_of_month((today + relativedelta(months=1)).replace(day=1), day)
    return next_day_of_month(today, day)


# --- Urdu --------------------------------------------------------------------------------
# the suffix is a whole word: "کل کوئٹہ جانا" keeps its "کوئٹہ"
_SUF_UR = r"(?:\s+(?:کو|تک|پر|سے\s+پہلے|کے\s+لیے|کے\s+لئے)(?!\w))?"
_WD_UR = ur.alt(ur.WEEKDAYS)
_MONTH_UR = ur.alt(ur.MONTHS)
_MOD_UR = r"(?:(?P<mod>اس|اگلے|اگلی|آئندہ|آنے\s+والے)\s+)?"
# "جمعہ کی نماز" (Friday prayer), "اتوار کا بازار" (Sunday market): a weekday + genitive + noun
# names a thing and stays in the title; before a part of the day ("جمعہ کی شام") or the list word
# ("جمعہ کے کام دکھاؤ": Friday's tasks) it is a date
# (exactly one space before the noun: a time already taken leaves a run of blanks there)
_NOT_NOUN_MODIFIER_UR = (
    r"(?!\s+(?:کا|کی|کے) (?=\w)(?!(?:صبح|شام|رات|دوپہر|سہ\s*پہر|دن|روز|کام|کاموں|ٹاسک)(?!\w)))"
)


# کل is both "tomorrow" and "yesterday": the tense of the sentence tells. Past tense is the
# ergative نے ("میں نے", "امی نے"), a past or perfect auxiliary (ہوا, تھا, چکا, گیا, لیا) or a
# plural past of کرنا (کیے); a bare کیا is also "what" ("کل کیا ہے؟": tomorrow) and does not count.
_PAST_UR = re.compile(
    r"(?<!\w)(?:نے|ہوا|ہوئے|ہوئی|ہوئیں|تھا|تھی|تھے|تھیں|چکا|چکی|چکے|چکیں|گیا|گئی|گئے|گئیں"
    r"|لیا|دیا|کیے|کئے|نمٹائے|نمٹایا)(?!\w)"  # not لیے: "کے لیے" is "for"
)


def _kal(m: re.Match[str], today: date) -> date:
    """Tomorrow; `take_date` reads the tense of the whole message and asks `_kal_past` instead."""
    return today + timedelta(days=1)


def _kal_past(today: date) -> date:
    return today - timedelta(days=1)


def _wd_ur(m: re.Match[str], today: date) -> date | None:
    mod = " ".join((m["mod"] or "").split())
    target = ur.WEEKDAYS.get(m["wd"], 5)
    return next_weekday(today, target, strict=mod in ("اگلے", "اگلی", "آئندہ", "آنے والے"))


_UR: list[tuple[re.Pattern[str], Resolver]] = [
    # "اگلے مہینے کی 5 تاریخ": that day of next month
    (
        re.compile(
            rf"(?<!\w)(?P<mod>اگلے|اس)\s+(?:مہینے|ماہ)\s+کی\s+(?P<d>{ur.MONTH_DAY}|یکم)\s*(?:تاریخ)?"
            rf"(?!\w){_SUF_UR}"
        ),
        lambda m, t: next_day_of_month(
            (t + relativedelta(months=1)).replace(day=1) if m["mod"] == "اگلے" else t,
            1 if m["d"] == "یکم" else ur.month_day(m["d"]),
        ),
    ),
    (
        re.compile(rf"(?<!\w)(?P<y>\d{{4}})-(?P<mo>\d{{1,2}})-(?P<d>\d{{1,2}})(?!\w){_SUF_UR}"),
        lambda m, t: (
            next_month_day(t, int(m["mo"]), int(m["d"]), int(m["y"]))
            if 1 <= int(m["mo"]) <= 12
            else None
        ),
    ),
    (re.compile(rf"(?<!\w)آئندہ\s+کل(?!\w){_SUF_UR}"), lambda m, t: t + timedelta(days=1)),
    (re.compile(rf"(?<!\w)پرسوں(?!\w){_SUF_UR}"), lambda m, t: t + timedelta(days=2)),
    (re.compile(rf"(?<!\w)ترسوں(?!\w){_SUF_UR}"), lambda m, t: t + timedelta(days=3)),
    (re.compile(rf"(?<!\w)آج(?!\w)(?!\s+کل){_SUF_UR}"), lambda m, t: t),
    (re.compile(rf"(?<!\w)(?:گزشتہ|گذشتہ|پچھلے)\s+کل(?!\w){_SUF_UR}"), lambda m, t: _kal_past(t)),
    (re.compile(rf"(?<!\w)کل(?!\w){_SUF_UR}"), _kal),
    (
        re.compile(
            rf"(?<!\w)(?:(?:اس|آنے\s+والے)\s+)?(?:ہفتے\s+کے\s+آخر|ویک\s*اینڈ)(?!\w){_SUF_UR}"
        ),
        lambda m, t: weekend(t),
    ),
    (
        re.compile(
            rf"(?<!\w)(?:اس\s+)?(?:مہینے|ماہ)\s+کے\s+(?:آخر|اختتام)(?!\w){_SUF_UR}"
            rf"|(?<!\w)(?:اس\s+)?(?:مہینے|ماہ)\s+کی\s+آخری\s+تاریخ(?!\w){_SUF_UR}"
        ),
        lambda m, t: end_of_month(t),
    ),
    # "اگلے ہفتے پیر کو", "اگلے ہفتے کے جمعہ کو": that weekday in next week
    (
        re.compile(
            rf"(?<!\w)(?:اگلے|آئندہ)\s+ہفتے\s+(?:کے\s+|کی\s+)?(?P<wd>{_WD_UR}|ہفتے|ہفتہ)(?!\w)"
            rf"(?:\s+کے\s+دن)?{_SUF_UR}"
        ),
        lambda m, t: next_weekday(t, 0, strict=True) + timedelta(days=ur.WEEKDAYS.get(m["wd"], 5)),
    ),
    (
        # ہفتہ/ہفتے as Saturday: with کو / کے دن, or ہفتہ standing alone (not "2 ہفتے", "ہر ہفتے")
        re.compile(
            rf"(?<!\w){_MOD_UR}(?P<wd>ہفتے|ہفتہ)(?=\s+(?:کو|کے\s+(?:دن|روز)))(?:\s+(?:کو|کے\s+(?:دن|روز)))"
            rf"|(?<!\w)(?<!ہر\s)(?<!\d\s)(?<!اس\s)(?<!اگلے\s)(?<!پچھلے\s)(?P<wd2>ہفتہ)(?!\w)"
            r"(?!\s+(?:کے|بعد|میں|وار|تک|پہلے))"
        ),
        lambda m, t: next_weekday(
            t, 5, strict=" ".join((m["mod"] or "").split()) in ("اگلے", "آئندہ", "آنے والے")
        ),
    ),
    (
        re.compile(
            rf"(?<!\w){_MOD_UR}(?P<wd>{_WD_UR})(?!\w){_NOT_NOUN_MODIFIER_UR}(?:\s+کے\s+(?:دن|روز))?{_SUF_UR}"
        ),
        _wd_ur,
    ),
    (
        re.compile(rf"(?<!\w)(?:اگلے|آئندہ|اگلی)\s+(?P<u>ہفتے|ہفتہ|مہینے|ماہ|سال)(?!\w){_SUF_UR}"),
        lambda m, t: (
            next_weekday(t, 0, strict=True)
            if m["u"].startswith("ہفت")
            else date(t.year + 1, 1, 1)
            if m["u"] == "سال"
            else (t + relativedelta(months=1)).replace(day=1)
        ),
    ),
    (
        re.compile(
            rf"(?<!\w)(?P<n>{ur.NUM})\s+(?P<u>دن|دنوں|روز|ہفتے|ہفتوں|ہفتہ|مہینے|مہینوں|ماہ|سال)"
            r"\s+(?:میں|بعد|کے\s+بعد|کے\s+اندر)(?!\w)"
        ),
        lambda m, t: (
            _shift(t, n, m["u"]) if (n := _num(m["n"], ur.NUMBER_WORDS)) is not None else None
        ),
    ),
    (
        re.compile(
            rf"(?<!\w)(?P<d>[0-3]?\d)\s+(?P<mo>{_MONTH_UR})(?:\s+(?P<y>\d{{4}}))?(?!\w){_SUF_UR}"
        ),
        lambda m, t: next_month_day(t, ur.MONTHS[m["mo"]], int(m["d"]), _year(m["y"])),
    ),
    (
        re.compile(
            rf"(?<!\w)(?P<mo>{_MONTH_UR})\s+(?:کی|کو)\s+(?P<d>[0-3]?\d)(?:\s+تاریخ)?(?!\w){_SUF_UR}"
        ),
        lambda m, t: next_month_day(t, ur.MONTHS[m["mo"]], int(m["d"])),
    ),
    (
        re.compile(
            rf"(?<!\w)(?:وسط\s+(?P<mo>{_MONTH_UR})|(?P<mo2>{_MONTH_UR})\s+کے\s+وسط(?:\s+میں)?)(?!\w){_SUF_UR}"
        ),
        lambda m, t: next_month_day(t, ur.MONTHS[m["mo"] or m["mo2"]], 15),
    ),
    # یکم = the 1st ("یکم کو کرایہ دینا", "یکم تاریخ کو")
    (
        re.compile(rf"(?<!\w)یکم(?:\s+تاریخ)?(?!\w){_SUF_UR}"),
        lambda m, t: next_day_of_month(t, 1),
    ),
    (
        re.compile(rf"(?<!\w)(?P<d>{ur.MONTH_DAY})\s*تاریخ(?!\w){_SUF_UR}"),
        lambda m, t: next_day_of_month(t, ur.month_day(m["d"])),
    ),
]


def _slash(m: re.Match[str], text: str, today: date) -> date | None:
    if _ARTICLE_BEFORE.search(text, 0, m.start("d")) or _CAPITAL_AFTER.match(text, m.end()):
        return None
    day, month = int(m["d"]), int(m["mo"])
    if month > 12 and 1 <= day <= 12:  # "3/25": day first cannot be, so month first
        day, month = month, day
    if not 1 <= month <= 12:
        return None
    return next_month_day(today, month, day, _year(m["y"]))


# "sat at 4", "sun 5pm": a word-like abbreviation is a weekday only when a time follows it
_WD_WORD_BEFORE_TIME = re.compile(
    rf"{_PRE}\b(?:(?P<mod>this|next|coming|on|by)\s+)?(?P<wd>{_WD_WORD})\b"
    r"(?=\s*(?:@|at\s+\d|\d{1,2}(?::\d\d)?\s*[ap]\.?m))",
    re.I,
)


def take_weekday_before_time(doc: Doc, clock: Clock) -> date | None:
    """Run before the time pass, which would blank the time that makes "sat" a day."""
    m = _WD_WORD_BEFORE_TIME.search(doc.text)
    if not m:
        return None
    doc.take_match(m)
    strict = (m["mod"] or "").lower() == "next"
    return next_weekday(clock.today, _WEEKDAY_ALL[m["wd"].lower()], strict=strict)


def take_date(doc: Doc, clock: Clock, language: str) -> date | None:
    """The first date phrase (by pattern priority) is the date; its words leave the text."""
    today = clock.today
    if language == "ur":
        # the message as given: the verb that tells the tense may be taken by an earlier pass
        past = _PAST_UR.search(doc.source) is not None
        for pattern, resolve in _UR:
            for m in pattern.finditer(doc.text):
                found = _kal_past(today) if past and resolve is _kal else resolve(m, today)
                if found is not None:
                    doc.take_match(m)
                    return found
    # "the 1st of next month" before "next month" alone
    for m in _ORDINAL.finditer(doc.text):
        if (m["of"] or m["of2"]) and (found := _ordinal_day(m, today)) is not None:
            doc.take_match(m)
            return found
    for pattern, resolve in _EN:
        for m in pattern.finditer(doc.text):
            found = resolve(m, today)
            if found is not None:
                doc.take_match(m)
                return found
    for m in _SLASH.finditer(doc.text):
        found = _slash(m, doc.text, today)
        if found is not None:
            doc.take_match(m)
            return found
    for m in _ORDINAL.finditer(doc.text):
        at_end = not doc.text[m.end() :].strip(" ,.!?")
        if m["pre"] or m["pre2"] or m["of"] or at_end:
            found = _ordinal_day(m, today)
            if found is not None:
                doc.take_match(m)
                return found
    return None


# "until March" means its 1st; a month alone is a date only where a bound is expected
_MONTH_ONLY = re.compile(
    rf"\s*(?:(?P<mo>{_MONTH_EN})(?:\s+(?P<y>\d{{4}}))?|(?P<mu>{_MONTH_UR})(?:\s+(?P<yu>\d{{4}}))?)\b\.?",
    re.I,
)


def take_month_start(doc: Doc, clock: Clock, pos: int) -> tuple[date, int] | None:
    """A month named at `pos` → (its next 1st, end offset of the phrase)."""
    m = _MONTH_ONLY.match(doc.text, pos)
    if not m:
        return None
    month = en.MONTHS[m["mo"].lower()] if m["mo"] else ur.MONTHS[m["mu"]]
    year = _year(m["y"] or m["yu"])
    if year is None:
        year = clock.today.year + (date(clock.today.year, month, 1) < clock.today)
    return date(year, month, 1), m.end()
