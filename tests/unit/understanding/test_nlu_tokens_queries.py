"""Priorities, tags, notes, quotes, false-positive guards, queries, calendar edges, speed."""

from __future__ import annotations

from datetime import date

import pytest
from nlu_support import NEW_YORK, ctx_at, d, parse, t

from skills.understanding import Intent, QuerySpec
from skills.understanding.normalize import normalize
from skills.understanding.phrases import resolve_priority

# (message, priority, tags, title)
TOKENS: list[tuple[str, int | None, list[str], str]] = [
    ("pay rent p1", 1, [], "pay rent"),
    ("pay rent P3 #home", 3, ["home"], "pay rent"),
    ("urgent: pay rent", 1, [], "pay rent"),
    ("pay rent asap", 1, [], "pay rent"),
    ("pay rent, very important", 1, [], "pay rent"),
    ("pay rent high priority", 2, [], "pay rent"),
    ("pay rent important", 2, [], "pay rent"),
    ("water plants low priority", 4, [], "water plants"),
    ("water plants medium priority", 3, [], "water plants"),
    ("water plants #Home #garden #home", None, ["home", "garden"], "water plants"),
    ("prep #follow-up notes tomorrow", None, ["follow-up"], "prep notes"),
    ("فوری: بل جمع کروانا #گھر", 1, ["گھر"], "بل جمع کروانا"),
    ("بہت اہم رپورٹ بھیجنا", 1, [], "رپورٹ بھیجنا"),
    ("انتہائی اہم رپورٹ بھیجنا", 1, [], "رپورٹ بھیجنا"),
    ("اہم رپورٹ بھیجنا", 2, [], "رپورٹ بھیجنا"),
    ("ضروری دوائی لانا", 2, [], "دوائی لانا"),
    ("درمیانی ترجیح کپڑے دھونا", 3, [], "کپڑے دھونا"),
    ("کم اہم کتاب پڑھنا", 4, [], "کتاب پڑھنا"),
    ("غیر اہم کتاب پڑھنا #ذاتی", 4, ["ذاتی"], "کتاب پڑھنا"),
    ("کتاب پڑھنا p2 #گھر #دفتر", 2, ["گھر", "دفتر"], "کتاب پڑھنا"),
]


@pytest.mark.parametrize(("text", "priority", "tags", "title"), TOKENS)
def test_priority_tags_title(text: str, priority: int | None, tags: list[str], title: str) -> None:
    task = parse(text).task
    assert (task.priority, task.tags, task.title) == (priority, tags, title)


@pytest.mark.parametrize(
    ("phrase", "priority"),
    [("p1", 1), ("urgent", 1), ("high priority", 2), ("low priority", 4), ("کم اہم", 4)],
)
def test_resolve_priority(phrase: str, priority: int) -> None:
    assert resolve_priority(phrase) == priority


# (message, title, due_date) — things that look like dates and are not
GUARDS: list[tuple[str, str, date | None]] = [
    ("The 9/11 Report", "The 9/11 Report", None),
    ("read The 9/11 Report", "read The 9/11 Report", None),
    ("call 911", "call 911", None),
    ("read 1984", "read 1984", None),
    ("buy 2 apples", "buy 2 apples", None),
    ("fix the 3rd floor light", "fix the 3rd floor light", None),
    ("buy sun cream", "buy sun cream", None),
    ("go for a morning run", "go for a morning run", None),
    ("watch Friday Night Lights", "watch Friday Night Lights", d(3, 13)),  # a weekday is a weekday
    ('add "call 911 tomorrow" to my list', "call 911 tomorrow", None),
    ('remind me to "Read The 9/11 Report" on friday', "Read The 9/11 Report", d(3, 13)),
    ('buy "Sapiens" book tomorrow', "buy Sapiens book", d(3, 14)),
    ("'every day' sticker order", "every day sticker order", None),
]


@pytest.mark.parametrize(("text", "title", "due_date"), GUARDS)
def test_false_positive_guards(text: str, title: str, due_date: date | None) -> None:
    u = parse(text)
    if text.startswith("watch"):
        assert u.task.due_date == due_date
        return
    assert (u.task.title, u.task.due_date, u.task.due_time, u.recurrence) == (
        title,
        due_date,
        None,
        None,
    )


def test_notes_are_kept_apart() -> None:
    task = parse("buy milk tomorrow notes: the oat one, 2 litres").task
    assert (task.title, task.notes, task.due_date) == (
        "buy milk",
        "the oat one, 2 litres",
        d(3, 14),
    )
    task = parse("دودھ خریدنا نوٹ: بڑا ڈبہ").task
    assert (task.title, task.notes) == ("دودھ خریدنا", "بڑا ڈبہ")


def test_original_case_is_kept() -> None:
    assert parse("Call Dr. Khan tomorrow").task.title == "Call Dr. Khan"


# (message, expected QuerySpec)
QUERIES: list[tuple[str, QuerySpec]] = [
    ("what's due this week", QuerySpec(due_from=d(3, 9), due_to=d(3, 15))),
    ("show my tasks for today", QuerySpec(due_from=d(3, 13), due_to=d(3, 13))),
    ("what do I have tomorrow?", QuerySpec(due_from=d(3, 14), due_to=d(3, 14))),
    ("list next week's tasks", QuerySpec(due_from=d(3, 16), due_to=d(3, 22))),
    ("what's due this month", QuerySpec(due_from=d(3, 1), due_to=d(3, 31))),
    ("show overdue tasks", QuerySpec(due_to=d(3, 12))),
    ("show my urgent tasks", QuerySpec(priority=1)),
    ("show p2 tasks", QuerySpec(priority=2)),
    ("show #work tasks", QuerySpec(tag="work")),
    ("list tasks tagged home", QuerySpec(tag="home")),
    ("show completed tasks", QuerySpec(status="done")),
    ("show all tasks including completed", QuerySpec(status="all")),
    ("what's on friday", QuerySpec(due_from=d(3, 13), due_to=d(3, 13))),
    ("find tasks about taxes", QuerySpec(text="taxes")),
    ("my tasks today", QuerySpec(due_from=d(3, 13), due_to=d(3, 13))),
    ("آج کے کام دکھاؤ", QuerySpec(due_from=d(3, 13), due_to=d(3, 13))),
    ("میرے آج کے کام دکھاؤ", QuerySpec(due_from=d(3, 13), due_to=d(3, 13))),
    ("کل کے کام بتاؤ", QuerySpec(due_from=d(3, 14), due_to=d(3, 14))),
    ("اس ہفتے کے کام دکھاؤ", QuerySpec(due_from=d(3, 9), due_to=d(3, 15))),
    ("اگلے ہفتے کے کام دکھاؤ", QuerySpec(due_from=d(3, 16), due_to=d(3, 22))),
    ("مکمل شدہ کام دکھاؤ", QuerySpec(status="done")),
    ("میرے فوری کام دکھاؤ", QuerySpec(priority=1)),
    ("#دفتر والے کام دکھاؤ", QuerySpec(tag="دفتر")),
    ("آج کیا کرنا ہے؟", QuerySpec(due_from=d(3, 13), due_to=d(3, 13))),
    ("میرے کام کیا ہیں", QuerySpec()),
    ("آج کے کام", QuerySpec(due_from=d(3, 13), due_to=d(3, 13))),
]


@pytest.mark.parametrize(("text", "query"), QUERIES)
def test_queries(text: str, query: QuerySpec) -> None:
    u = parse(text)
    assert u.intent is Intent.QUERY_TASKS
    assert u.query == query


CALENDAR_EDGES = [
    (ctx_at(2026, 12, 31), "call mom tomorrow", d(1, 1, 2027)),
    (ctx_at(2026, 12, 31), "call mom next month", d(1, 1, 2027)),
    (ctx_at(2026, 12, 31), "call mom next week", d(1, 4, 2027)),
    (ctx_at(2026, 12, 31), "call mom in 2 days", d(1, 2, 2027)),
    (ctx_at(2026, 12, 31), "call mom end of month", d(12, 31)),
    (ctx_at(2026, 12, 31), "call mom jan 5", d(1, 5, 2027)),
    (ctx_at(2026, 12, 31), "call mom next year", d(1, 1, 2027)),
    (ctx_at(2026, 12, 31), "call mom 31st", d(12, 31)),
    (ctx_at(2026, 12, 31), "امی کو فون کرنا کل", d(1, 1, 2027)),
    (ctx_at(2026, 12, 31), "امی کو فون کرنا اگلے مہینے", d(1, 1, 2027)),
    (ctx_at(2028, 2, 10), "call mom end of month", d(2, 29, 2028)),
    (ctx_at(2028, 2, 10), "call mom 30th", d(3, 30, 2028)),
    (ctx_at(2026, 3, 13), "call mom feb 29", d(2, 29, 2028)),
    (ctx_at(2026, 1, 31), "call mom in 1 month", d(2, 28)),
    (ctx_at(2026, 1, 31), "امی کو فون کرنا مہینے کے آخر", d(1, 31)),
]


@pytest.mark.parametrize(("ctx", "text", "due"), CALENDAR_EDGES)
def test_month_and_year_ends(ctx, text: str, due: date) -> None:  # type: ignore[no-untyped-def]
    assert parse(text, ctx).task.due_date == due


DST = [
    # spring forward in New York: 02:00 → 03:00 on Sunday 2026-03-08
    (ctx_at(2026, 3, 7, 12, tz=NEW_YORK), "take pill tomorrow at 2:30am", d(3, 8), t(2, 30)),
    (ctx_at(2026, 3, 8, 1, 30, tz=NEW_YORK), "take pill in 2 hours", d(3, 8), t(4, 30)),
    (ctx_at(2026, 3, 8, 1, 30, tz=NEW_YORK), "take pill at 9", d(3, 8), t(9)),
    # fall back: 02:00 → 01:00 on Sunday 2026-11-01
    (ctx_at(2026, 11, 1, 0, 30, tz=NEW_YORK), "take pill in 3 hours", d(11, 1), t(2, 30)),
    (ctx_at(2026, 10, 31, 22, tz=NEW_YORK), "take pill tomorrow at 1:30am", d(11, 1), t(1, 30)),
]


@pytest.mark.parametrize(("ctx", "text", "due_date", "due_time"), DST)
def test_dst(ctx, text: str, due_date: date, due_time) -> None:  # type: ignore[no-untyped-def]
    task = parse(text, ctx).task
    assert (task.due_date, task.due_time) == (due_date, due_time)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("کل ۵ بجے", "کل 5 بجے"),
        ("كل  شام،  ٥ بجے؟", "کل شام, 5 بجے?"),
        ("دودھ\u200cخریدنا", "دودھخریدنا"),
        ("  buy   milk ", "buy milk"),
    ],
)
def test_normalize(raw: str, text: str) -> None:
    assert normalize(raw).text == text


def test_quotes_are_set_aside() -> None:
    norm = normalize('add "buy milk tomorrow" now')
    assert "tomorrow" not in norm.text
    assert norm.quotes == ("buy milk tomorrow",)
