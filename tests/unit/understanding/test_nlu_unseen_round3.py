"""Third round of unseen commands: each general rule with phrasings of its own, en and ur."""

from __future__ import annotations

from datetime import datetime

import pytest
from nlu_support import d, parse, t

from skills.understanding import Intent

# --- 1. make / put / plan / log are to-dos unless a task noun or a colon follows ------------


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        ("plan the week every monday at 8", "plan the week", (d(3, 16), t(8))),
        ("make dinner at 7pm", "make dinner", (d(3, 13), t(19))),
        ("put the bins out tonight", "put the bins out", (d(3, 13), t(21))),
        ("log my hours on friday", "log my hours", (d(3, 13), None)),
        ("plan a trip to Lahore next month", "plan a trip to Lahore", (d(4, 1), None)),
    ],
)
def test_everyday_verbs_stay_in_the_title(text: str, title: str, due: tuple) -> None:
    u = parse(text)
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title == title
    assert (u.task.due_date, u.task.due_time) == due


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("make a task to call the bank", "call the bank"),
        ("log: expense receipts", "expense receipts"),
    ],
)
def test_everyday_verbs_before_a_task_noun_are_commands(text: str, title: str) -> None:
    u = parse(text)
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title == title


@pytest.mark.parametrize(
    ("text", "pronoun", "target"),
    [("make it 5pm", True, None), ("make the invoice p1", False, "invoice")],
)
def test_make_changes_a_task_pointed_at(text: str, pronoun: bool, target: str | None) -> None:
    u = parse(text)
    assert u.intent is Intent.UPDATE_TASK
    assert u.target is not None
    assert (u.target.pronoun, u.target.text) == (pronoun, target)


# --- 2. a pronoun with a verb particle is the pronoun --------------------------------------


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("push the report back to friday", "report"),
        ("bring the dentist forward to monday", "dentist"),
    ],
)
def test_particle_is_not_in_the_target(text: str, target: str) -> None:
    u = parse(text)
    assert u.intent is Intent.UPDATE_TASK
    assert u.target is not None
    assert u.target.text == target


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("push it back to next monday", (d(3, 16), None)),
        ("move that up to 3pm", (d(3, 13), t(15))),
        ("bring it forward to thursday", (d(3, 19), None)),
    ],
)
def test_pronoun_with_particle(text: str, due: tuple) -> None:
    u = parse(text)
    assert u.intent is Intent.UPDATE_TASK
    assert u.target is not None
    assert u.target.pronoun
    assert (u.task.due_date, u.task.due_time) == due


# --- 3. "tasks about X" with no verb is a query; its text is named like a target -----------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("tasks about the wedding", "wedding"),
        ("todos about my tax return", "tax return"),
        ("show tasks about the move", "move"),
        ("شادی کے بارے میں کام", "شادی"),
    ],
)
def test_tasks_about_is_a_query(text: str, words: str) -> None:
    u = parse(text)
    assert u.intent is Intent.QUERY_TASKS
    assert u.query is not None
    assert u.query.text == words


def test_a_to_do_mentioning_tasks_stays_a_create() -> None:
    u = parse("prepare tasks for the intern tomorrow")
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title == "prepare tasks for the intern"


# --- 4. Urdu weekday + genitive + noun names a thing; before a part of the day it is a date -


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        ("جمعہ کی نماز پڑھنا", "جمعہ کی نماز پڑھنا", (None, None)),
        ("کل اتوار کا بازار جانا", "اتوار کا بازار جانا", (d(3, 14), None)),
        ("جمعہ کی شام 5 بجے میٹنگ", "میٹنگ", (d(3, 13), t(17))),
        ("جمعرات کی صبح ۸ بجے دفتر جانا", "دفتر جانا", (d(3, 19), t(8))),
        ("جمعرات کے روز گیس کا بل جمع کرانا", "گیس کا بل جمع کرانا", (d(3, 19), None)),
    ],
)
def test_urdu_weekday_as_noun_modifier(text: str, title: str, due: tuple) -> None:
    u = parse(text)
    assert u.task.title == title
    assert (u.task.due_date, u.task.due_time) == due


def test_weekday_tasks_is_a_day_query() -> None:
    u = parse("اتوار کے کام دکھاؤ")
    assert u.intent is Intent.QUERY_TASKS
    assert u.query is not None
    assert (u.query.due_from, u.query.due_to) == (d(3, 15), d(3, 15))


def test_weekday_noun_beside_a_weekly_rule() -> None:
    u = parse("ہر جمعہ کو 1 بجے جمعہ کی نماز یاد دلانا")
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title == "جمعہ کی نماز"
    assert u.recurrence is not None
    assert u.recurrence.rrule == "FREQ=WEEKLY;BYDAY=FR"
    assert u.recurrence.dtstart == datetime(2026, 3, 13, 13)


# --- 5. chained greetings are small talk ----------------------------------------------------


@pytest.mark.parametrize(
    "text", ["hello, how are you?", "hi there, what's up", "آداب، کیسے ہو", "سلام! کیا حال ہے؟"]
)
def test_chained_greetings(text: str) -> None:
    assert parse(text).intent is Intent.HELP


# --- 6. a yearly date keeps its month and day in the rule ----------------------------------


@pytest.mark.parametrize(
    ("text", "rrule", "start"),
    [
        (
            "anniversary dinner every year on june 12",
            "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=12",
            datetime(2026, 6, 12, 9),
        ),
        (
            "ہر سال ۲۵ دسمبر کو کیک منگوانا",
            "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25",
            datetime(2026, 12, 25, 9),
        ),
    ],
)
def test_yearly_date(text: str, rrule: str, start: datetime) -> None:
    u = parse(text)
    assert u.recurrence is not None
    assert (u.recurrence.rrule, u.recurrence.dtstart) == (rrule, start)
