"""Second round of unseen commands: each general rule with phrasings of its own, en and ur."""

from __future__ import annotations

import pytest
from nlu_support import d, parse, t

from skills.understanding import Intent

# --- 1. English clock phrases: half past, quarter past/to, N minutes past --------------------


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        ("gym at half past 6", "gym", (d(3, 13), t(18, 30))),
        ("quarter past 9 standup tomorrow", "standup", (d(3, 14), t(9, 15))),
        ("call dad at quarter to 5", "call dad", (d(3, 13), t(16, 45))),
        ("wake up at half past seven", "wake up", (d(3, 14), t(7, 30))),
        ("leave for airport at quarter to 6am", "leave for airport", (d(3, 14), t(5, 45))),
        ("call grandma at 10 past 11", "call grandma", (d(3, 13), t(11, 10))),
        ("take 20 minutes past 3 nap", "take nap", (d(3, 13), t(15, 20))),
    ],
)
def test_english_clock_phrases(text: str, title: str, due: tuple) -> None:
    u = parse(text)
    assert u.task.title == title
    assert (u.task.due_date, u.task.due_time) == due


def test_a_bare_number_range_is_not_a_time() -> None:
    u = parse("read pages 5 to 10")
    assert u.task.title == "read pages 5 to 10"
    assert u.task.due_time is None


# --- 2. dates: month-first fallback, weekday in next week, yesterday ------------------------


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        ("Dentist appt on 3/25 at 2:30pm", "Dentist appt", (d(3, 25), t(14, 30))),
        ("vet visit 4/30", "vet visit", (d(4, 30), None)),
        ("conference next week thursday", "conference", (d(3, 19), None)),
        ("call next week on tue", "call", (d(3, 17), None)),
        ("اگلے ہفتے پیر کو رپورٹ جمع کرانی ہے", "رپورٹ جمع کرانی", (d(3, 16), None)),
        ("آئندہ ہفتے منگل کو دانتوں کا ڈاکٹر", "دانتوں کا ڈاکٹر", (d(3, 17), None)),
        ("اگلے ہفتے جمعرات شام ۴ بجے میٹنگ", "میٹنگ", (d(3, 19), t(16))),
        ("اگلے ہفتے ہفتے کو پکنک", "پکنک", (d(3, 21), None)),
    ],
)
def test_date_phrasings(text: str, title: str, due: tuple) -> None:
    u = parse(text)
    assert u.task.title == title
    assert (u.task.due_date, u.task.due_time) == due


def test_impossible_slash_date_after_article_stays_in_title() -> None:
    assert parse("The 9/25 Report").task.title == "The 9/25 Report"


@pytest.mark.parametrize("text", ["what did i finish yesterday", "anything i finished yesterday?"])
def test_what_did_i_finish_yesterday(text: str) -> None:
    u = parse(text)
    assert u.intent is Intent.QUERY_TASKS
    assert u.query is not None
    assert u.query.status == "done"
    assert (u.query.due_from, u.query.due_to) == (d(3, 12), d(3, 12))


# --- 3. "finish X <deadline>" is a to-do; "finish X" completes -----------------------------


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        ("finish the deck in 2 hours", "finish the deck", (d(3, 13), t(12))),
        ("complete the tax form by april 10", "complete the tax form", (d(4, 10), None)),
        ("finish reading chapter 3 tomorrow", "finish reading chapter 3", (d(3, 14), None)),
    ],
)
def test_finish_with_a_deadline_is_a_create(text: str, title: str, due: tuple) -> None:
    u = parse(text)
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title == title
    assert (u.task.due_date, u.task.due_time) == due


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("finish the reading", "reading"),
        ("I'm done with the tax forms", "tax forms"),
        ("im done with groceries", "groceries"),
        ("I'm finished with the essay", "essay"),
        ("میں نے رپورٹ مکمل کر لی", "رپورٹ"),
        ("میں نے بل والا کام ختم کر لیا", "بل"),
    ],
)
def test_completion_phrasings(text: str, target: str) -> None:
    u = parse(text)
    assert u.intent is Intent.COMPLETE_TASK
    assert u.target is not None
    assert u.target.text == target


# --- 4. references: generic nouns, list locations, polite openers ---------------------------


@pytest.mark.parametrize(
    ("text", "intent", "target"),
    [
        ("cancel the gym thing", Intent.DELETE_TASK, "gym"),
        ("remove milk from my list", Intent.DELETE_TASK, "milk"),
        ("delete eggs off my shopping list", Intent.DELETE_TASK, "eggs"),
        ("براہ کرم کل کی میٹنگ منسوخ کر دیں", Intent.DELETE_TASK, "میٹنگ"),
        ("براہ کرم دوائی والا کام حذف کر دیں", Intent.DELETE_TASK, "دوائی"),
        ("پلیز جم والا کام ڈیلیٹ کر دو", Intent.DELETE_TASK, "جم"),
        ("مہربانی کر کے رپورٹ والا کام مکمل کر دیں", Intent.COMPLETE_TASK, "رپورٹ"),
    ],
)
def test_reference_cleanup(text: str, intent: Intent, target: str) -> None:
    u = parse(text)
    assert u.intent is intent
    assert u.target is not None
    assert u.target.text == target


# --- 5. Urdu create prefix after a priority or polite word, and "شامل کرو کہ X" -------------


@pytest.mark.parametrize(
    ("text", "title", "priority", "tags"),
    [
        ("فوری کام شامل کرو: بل ادا کرنا", "بل ادا کرنا", 1, []),
        ("اہم کام شامل کرو: ای میل کا جواب دینا #دفتر", "ای میل کا جواب دینا", 2, ["دفتر"]),
        ("بہت ضروری کام شامل کرو: پاسپورٹ اپلائی کرنا", "پاسپورٹ اپلائی کرنا", 1, []),
        ("پلیز اہم ٹاسک شامل کریں - کار انشورنس", "کار انشورنس", 2, []),
        ("براہ کرم نیا کام شامل کریں: گاڑی کا ٹائر بدلوانا", "گاڑی کا ٹائر بدلوانا", None, []),
    ],
)
def test_urdu_create_prefix_after_priority(
    text: str, title: str, priority: int | None, tags: list[str]
) -> None:
    u = parse(text)
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title == title
    assert u.task.priority == priority
    assert u.task.tags == tags


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        ("ایک کام شامل کرو کہ کل بینک جانا ہے", "بینک جانا", (d(3, 14), None)),
        ("کام شامل کرو کہ پرسوں بچوں کی فیس دینی ہے", "بچوں کی فیس دینی", (d(3, 15), None)),
        (
            "نیا کام درج کرو کہ شام ۵ بجے درزی سے کپڑے لینے ہیں",
            "درزی سے کپڑے لینے",
            (d(3, 13), t(17)),
        ),
    ],
)
def test_urdu_add_that(text: str, title: str, due: tuple) -> None:
    u = parse(text)
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title == title
    assert (u.task.due_date, u.task.due_time) == due


# --- 6. Urdu offsets: after a postposition → set_reminder; after a clause → the new task's ----


@pytest.mark.parametrize(
    ("text", "title", "due", "offset"),
    [
        ("کل صبح کلینک جانا ہے، ایک گھنٹہ پہلے یاد دلانا", "کلینک جانا", (d(3, 14), t(9)), 60),
        ("کل شام ۶ بجے پارٹی، آدھا گھنٹہ پہلے یاد دلا دینا", "پارٹی", (d(3, 14), t(18)), 30),
        ("dentist tomorrow at 3pm, remind me an hour before", "dentist", (d(3, 14), t(15)), 60),
    ],
)
def test_offset_after_a_clause_is_the_new_tasks(
    text: str, title: str, due: tuple, offset: int
) -> None:
    u = parse(text)
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title == title
    assert (u.task.due_date, u.task.due_time) == due
    assert u.reminder is not None
    assert u.reminder.offset_minutes == offset


@pytest.mark.parametrize(
    ("text", "target", "pronoun", "offset"),
    [
        ("انٹرویو کے لیے ایک گھنٹہ پہلے یاد دلانا", "انٹرویو", False, 60),
        ("امتحان سے دو دن پہلے یاد دلا دینا", "امتحان", False, 2880),
        ("اسے ایک دن پہلے یاد دلانا", None, True, 1440),
        ("اس کے لیے ایک گھنٹہ پہلے یاد دہانی لگا دو", None, True, 60),
    ],
)
def test_offset_after_a_postposition_points_at_a_task(
    text: str, target: str | None, pronoun: bool, offset: int
) -> None:
    u = parse(text)
    assert u.intent is Intent.SET_REMINDER
    assert u.target is not None
    assert (u.target.text, u.target.pronoun) == (target, pronoun)
    assert u.reminder is not None
    assert u.reminder.offset_minutes == offset


def test_urdu_offset_alone_asks_for_the_task() -> None:
    u = parse("ایک گھنٹہ پہلے یاد دلانا")
    assert u.intent is Intent.SET_REMINDER
    assert u.missing == ["target"]


# --- 7. greetings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["how are you", "how's it going?", "what's up", "کیا حال ہے", "آپ کیسے ہیں", "کیسے ہو؟"]
)
def test_greetings_are_help(text: str) -> None:
    assert parse(text).intent is Intent.HELP
