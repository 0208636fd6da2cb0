"""Questions about the list → QuerySpec (status, tag, priority, due range, text)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from . import lexicon_en as en
from .dates import end_of_month, next_weekday, take_date
from .doc import Clock, Doc
from .references import clean_target
from .types import QuerySpec

_Range = tuple[date | None, date | None]


def _week(d: date) -> _Range:
    monday = d - timedelta(days=d.weekday())
    return monday, monday + timedelta(days=6)


def _month(d: date) -> _Range:
    return d.replace(day=1), end_of_month(d)


_RANGES: list[tuple[re.Pattern[str], object]] = [
    (
        re.compile(
            r"\b(?:(?:in|during|for)\s+)?this\s+week(?:'?s)?\b|\b(?:the\s+)?rest\s+of\s+the\s+week\b|(?<!\w)اس\s+ہفتے(?!\s+کے\s+آخر)(?:\s+(?:کے|کا|کی|میں))?(?!\w)",
            re.I,
        ),
        lambda t: _week(t),
    ),
    (
        re.compile(
            r"\b(?:(?:in|during|for)\s+)?next\s+week(?:'?s)?\b|(?<!\w)(?:اگلے|آئندہ)\s+ہفتے(?!\s+کو)(?:\s+(?:کے|کا|کی|میں))?(?!\w)",
            re.I,
        ),
        lambda t: _week(t + timedelta(days=7)),
    ),
    (
        re.compile(
            r"\b(?:(?:in|during|for)\s+)?this\s+month(?:'?s)?\b|(?<!\w)اس\s+(?:مہینے|ماہ)(?!\s+کے\s+آخر)(?:\s+(?:کے|کا|کی|میں))?(?!\w)",
            re.I,
        ),
        lambda t: _month(t),
    ),
    (
        re.compile(
            r"\b(?:(?:in|during|for)\s+)?next\s+month(?:'?s)?\b|(?<!\w)(?:اگلے|آئندہ)\s+(?:مہینے|ماہ)(?:\s+(?:کے|کا|کی|میں))?(?!\w)",
            re.I,
        ),
        lambda t: _month(t + relativedelta(months=1)),
    ),
    (
        re.compile(
            r"\b(?:(?:this|on\s+the|the|for\s+the)\s+)?weekend(?:'?s)?\b|(?<!\w)(?:اس\s+)?(?:ہفتے\s+کے\s+آخر|ویک\s*اینڈ)(?:\s+(?:کے|کا|کی|میں|پر))?(?!\w)",
            re.I,
        ),
        lambda t: (
            (next_weekday(t, 5), next_weekday(t, 5) + timedelta(days=1))
            if t.weekday() != 6
            else (t, t)
        ),
    ),
    (
        re.compile(
            r"\b(?:overdue|late|past\s+due|missed|behind)\b|(?<!\w)(?:تاخیر\s+شدہ|زائد\s+المیعاد|لیٹ|جن\s+کی\s+تاریخ\s+(?:گزر|نکل)\s+(?:چکی|گئی)(?:\s+ہے)?)(?!\w)",
            re.I,
        ),
        lambda t: (None, t - timedelta(days=1)),
    ),
]
_NEXT_N = re.compile(
    rf"\b(?:in\s+)?(?:the\s+)?next\s+(?P<n>{en.NUM})\s+days\b|(?<!\w)اگلے\s+(?P<nu>\d+)\s+دن(?:وں)?(?:\s+(?:کے|میں))?(?!\w)",
    re.I,
)
_UPCOMING = re.compile(
    r"\b(?:upcoming|coming\s+up|soon|ahead)\b|(?<!\w)(?:آنے\s+والے|آئندہ)(?!\w)", re.I
)
_STATUS_ALL = re.compile(
    r"\bincluding\s+(?:the\s+)?(?:done|completed|finished)(?:\s+ones)?\b|\b(?:done|completed)\s+(?:and|or|&)\s+(?:open|pending|not\s+done)\b"
    r"|\b(?:open|pending)\s+(?:and|or|&)\s+(?:done|completed)\b|\bevery\s+single\s+task\b|(?<!\w)بشمول\s+مکمل(?:\s+شدہ)?(?!\w)",
    re.I,
)
_STATUS_DONE = re.compile(
    r"\b(?<!not\s)(?:completed|complete|done|finished|closed|checked\s+off|ticked\s+off|accomplished)\b"
    r"|\bdid\s+(?:i|we)\s+(?:(?:get|got)\s+)?(?:finish|do|tick\s+off|check\s+off)\b"
    r"|(?<!\w)(?:مکمل\s+(?:شدہ|کیے\s+(?:گئے|ہوئے)|ہونے\s+والے|ہو\s+چکے|ہوئے)|ختم\s+شدہ|مکمل|نمٹائے\s+گئے)(?!\w)",
    re.I,
)
_STATUS_OPEN = re.compile(
    r"\b(?:open|pending|remaining|incomplete|unfinished|outstanding|left|active|undone|not\s+done|to\s*do)\b"
    r"|(?<!\w)(?:باقی|نامکمل|زیر\s+التوا|بقایا|رہ\s+گئے|رہ\s+جانے\s+والے|ادھورے)(?!\w)",
    re.I,
)
_TAGGED = re.compile(
    r"\b(?:tagged|labell?ed|with\s+(?:the\s+)?(?:tag|label))\s+(?P<t>\w[\w-]*)", re.I
)
_ABOUT = re.compile(
    r"\b(?:about|containing|called|named|mentioning|matching|related\s+to|regarding|with\s+the\s+word|for)\s+(?P<x>.+?)\s*$"
    r"|(?<!\w)(?P<xu>.+?)\s+(?:سے\s+متعلق|کے\s+بارے\s+میں|والے)(?!\w)",
    re.I,
)
_NOISE = re.compile(
    r"\b(?:my|me|the|all|tasks?|todos?|to-dos?|list|lists|what|what's|whats|is|are|due|for|on|in|have|i|do|"
    r"show|items?|things?|please|that|which|any|there|to|of|s|up|everything|agenda|schedule|plan|reminders?|"
    r"got|need|when|by|at|with|and|or|now|do|does)\b|[?'.,!]"
    r"|(?<!\w)(?:میرے|میری|میرا|کام|کاموں|ٹاسک|کی|کے|کا|کو|میں|فہرست|لسٹ|سارے|تمام|سب|کیا|ہیں|ہے|والے|جو|تو|ذرا|مجھے|کرنا|کرنے|ہیں؟|اور)(?!\w)",
    re.I,
)


def take_query(
    doc: Doc, clock: Clock, language: str, *, tag: str | None, priority: int | None
) -> QuerySpec:
    today = clock.today
    status = "open"
    due_from = due_to = None
    if m := _STATUS_ALL.search(doc.text):
        status = "all"
        doc.take_match(m)
    elif m := _STATUS_DONE.search(doc.text):
        status = "done"
        doc.take_match(m)
    elif m := _STATUS_OPEN.search(doc.text):
        doc.take_match(m)
    for pattern, resolve in _RANGES:
        if m := pattern.search(doc.text):
            due_from, due_to = resolve(today)  # type: ignore[operator]
            doc.take_match(m)
            break
    else:
        if m := _NEXT_N.search(doc.text):
            n = en.number(m["n"]) if m["n"] else int(m["nu"])
            due_from, due_to = today, today + timedelta(days=n or 7)
            doc.take_match(m)
        elif m := _UPCOMING.search(doc.text):
            due_from, due_to = today, today + timedelta(days=7)
            doc.take_match(m)
        elif (day := take_date(doc, clock, language)) is not None:
            due_from = due_to = day
    if tag is None and (m := _TAGGED.search(doc.text)):
        tag = m["t"].lower()
        doc.take_match(m)
    text = None
    if m := _ABOUT.search(doc.text):
        candidate = (m["x"] or m["xu"] or "").strip(" ?.!,")
        if _NOISE.sub(" ", candidate).strip():
            # the words name a task as a target does: "about the wedding" searches "wedding"
            text = (
                _NOISE.sub(" ", candidate).strip()
                if language == "ur"
                else clean_target(candidate, "en")
            )
            text = " ".join(text.split()) or None
            # taken, so "tasks about the wedding" (no verb) is left with only list words
            doc.take_match(m)
    return QuerySpec(
        status=status, tag=tag, priority=priority, due_from=due_from, due_to=due_to, text=text
    )


_LIST_WORD = re.compile(
    r"\b(?:tasks?|todos?|to-dos?|agenda)\b|(?<!\w)(?:کام|کاموں|ٹاسک)(?!\w)", re.I
)


def is_query_phrase(text: str, said: str | None = None) -> bool:
    """Only list words and a range left ("my tasks today", "آج کے کام").

    `said`: the message before priorities and tags were taken, since "فوری کام" (urgent tasks)
    leaves with its priority and the list word must still count.
    """
    return bool(_LIST_WORD.search(said or text)) and not _NOISE.sub(" ", text).strip()
