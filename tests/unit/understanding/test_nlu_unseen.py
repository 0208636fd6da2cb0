"""Generalisation fixes found by running unseen commands: each rule with phrasings of its own."""

from __future__ import annotations

import pytest
from nlu_support import d, parse, t

from skills.understanding import Intent

# --- 1. an Urdu postposition after a date/time is a whole word ("کوئٹہ" is not "کو" + "ئٹہ") --


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        ("کل صبح 8 بجے کوئٹہ کے لیے نکلنا", "کوئٹہ کے لیے نکلنا", (d(3, 14), t(8))),
        ("آج کوچنگ سینٹر جانا", "کوچنگ سینٹر جانا", (d(3, 13), None)),
        ("شام 5 بجے پرانی کتابیں بیچنا", "پرانی کتابیں بیچنا", (d(3, 13), t(17))),
        ("پرسوں پرچی جمع کرانا", "پرچی جمع کرانا", (d(3, 15), None)),
    ],
)
def test_urdu_suffix_is_a_whole_word(text: str, title: str, due: tuple) -> None:
    u = parse(text)
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title == title
    assert (u.task.due_date, u.task.due_time) == due


def test_urdu_recurrence_suffix_is_a_whole_word() -> None:
    u = parse("ہر اتوار کوچنگ کلاس")
    assert u.task.title == "کوچنگ کلاس"
    assert u.recurrence is not None
    assert u.recurrence.rrule == "FREQ=WEEKLY;BYDAY=SU"


# --- 2. Urdu questions keep what they ask about ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "priority", "day"),
    [
        ("کیا آج کوئی فوری کام ہے", 1, d(3, 13)),
        ("کیا کل کوئی ضروری کام ہے؟", 2, d(3, 14)),
        ("کل کے فوری کام", 1, d(3, 14)),
    ],
)
def test_urdu_question_keeps_its_filters(text: str, priority: int, day) -> None:
    u = parse(text)
    assert u.intent is Intent.QUERY_TASKS
    assert u.query is not None
    assert u.query.priority == priority
    assert (u.query.due_from, u.query.due_to) == (day, day)


def test_bare_priority_and_list_word_is_a_query() -> None:
    for text in ("urgent tasks", "فوری کام"):
        u = parse(text)
        assert u.intent is Intent.QUERY_TASKS, text
        assert u.query is not None
        assert u.query.priority == 1


# --- 3. "X کو <moment> کر دو": a bare verb after a moment moves the task ---------------------


@pytest.mark.parametrize(
    ("text", "target", "pronoun", "due"),
    [
        ("میٹنگ کو کل شام 4 بجے کر دو", "میٹنگ", False, (d(3, 14), t(16))),
        ("ٹیکس والا کام اگلے پیر کو کر دو", "ٹیکس", False, (d(3, 16), None)),
        ("اسے پرسوں کر دو", None, True, (d(3, 15), None)),
        ("درزی والا کام جمعرات صبح 11 بجے کر دیں", "درزی", False, (d(3, 19), t(11))),
    ],
)
def test_urdu_bare_verb_after_a_moment_is_an_update(
    text: str, target: str | None, pronoun: bool, due: tuple
) -> None:
    u = parse(text)
    assert u.intent is Intent.UPDATE_TASK
    assert u.target is not None
    assert (u.target.text, u.target.pronoun) == (target, pronoun)
    assert (u.task.due_date, u.task.due_time) == due


def test_urdu_bare_verb_after_a_recurrence_is_an_update() -> None:
    u = parse("اسے ہر پیر کو کر دو")
    assert u.intent is Intent.UPDATE_TASK
    assert u.recurrence is not None
    assert u.recurrence.rrule == "FREQ=WEEKLY;BYDAY=MO"


@pytest.mark.parametrize("text", ["امی کو کل فون کر دو", "کل شام 4 بجے فون کر دو"])
def test_urdu_verb_after_a_noun_is_not_an_update(text: str) -> None:
    assert parse(text).intent is Intent.CREATE_TASK


# --- 4. reminders: more verbs, and Urdu "یاد دلانا کہ X" -------------------------------------


@pytest.mark.parametrize(
    ("text", "target", "offset"),
    [
        ("ping me 45 minutes before the interview", "interview", 45),
        ("alert me 10 minutes before the webinar", "webinar", 10),
        ("notify me 5 min before the call", "call", 5),
    ],
)
def test_other_reminder_verbs(text: str, target: str, offset: int) -> None:
    u = parse(text)
    assert u.intent is Intent.SET_REMINDER
    assert u.target is not None
    assert u.target.text == target
    assert u.reminder is not None
    assert u.reminder.offset_minutes == offset


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        ("دس منٹ بعد یاد دلانا کہ چولہا بند کرنا ہے", "چولہا بند کرنا", (d(3, 13), t(10, 10))),
        ("کل صبح 7 بجے یاد دلانا کہ دوائی لینی ہے", "دوائی لینی", (d(3, 14), t(7))),
        ("مجھے پرسوں یاد دلا دینا کہ بل جمع کرانا ہے", "بل جمع کرانا", (d(3, 15), None)),
    ],
)
def test_urdu_remind_that(text: str, title: str, due: tuple) -> None:
    u = parse(text)
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title == title
    assert (u.task.due_date, u.task.due_time) == due
    assert u.reminder is not None
    assert u.reminder.offset_minutes == 0


# --- 5. recurrence phrasings ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title", "rrule", "first"),
    [
        ("pay credit card bill monthly on the 20th", "pay credit card bill",
         "FREQ=MONTHLY;BYMONTHDAY=20", (3, 20, 9)),
        ("submit report weekly on fridays", "submit report", "FREQ=WEEKLY;BYDAY=FR", (3, 20, 9)),
        ("team call biweekly on tuesday", "team call", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
         (3, 17, 9)),
        ("gym every mon wed fri at 6", "gym", "FREQ=WEEKLY;BYDAY=MO,WE,FR", (3, 13, 18)),
        ("swim every tue thu", "swim", "FREQ=WEEKLY;BYDAY=TU,TH", (3, 17, 9)),
        ("ہر بدھ اور ہفتے کو ٹیوشن", "ٹیوشن", "FREQ=WEEKLY;BYDAY=WE,SA", (3, 14, 9)),
        ("ہر ہفتے اور اتوار کو پارک جانا", "پارک جانا", "FREQ=WEEKLY;BYDAY=SA,SU", (3, 14, 9)),
        ("ہر مہینے کی پہلی تاریخ کو کرایہ دینا", "کرایہ دینا", "FREQ=MONTHLY;BYMONTHDAY=1",
         (4, 1, 9)),
        ("ہر مہینے کی دسویں تاریخ کو بل", "بل", "FREQ=MONTHLY;BYMONTHDAY=10", (4, 10, 9)),
    ],
)  # fmt: skip
def test_recurrence_phrasings(text: str, title: str, rrule: str, first: tuple) -> None:
    u = parse(text)
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title == title
    assert u.recurrence is not None
    assert u.recurrence.rrule == rrule
    month, day, hour = first
    assert (u.recurrence.dtstart.month, u.recurrence.dtstart.day) == (month, day)
    assert u.recurrence.dtstart.hour == hour


def test_weekly_alone_is_still_weekly() -> None:
    u = parse("ہر ہفتے رپورٹ بھیجنا")
    assert u.recurrence is not None
    assert u.recurrence.rrule == "FREQ=WEEKLY"


def test_urdu_ordinal_day_without_recurrence() -> None:
    u = parse("پہلی تاریخ کو فیس جمع کرانا")
    assert u.task.title == "فیس جمع کرانا"
    assert u.task.due_date == d(4, 1)


# --- 6. dates and times next to other words ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        ("add get a haircut on thursday afternoon", "get a haircut", (d(3, 19), t(15))),
        ("call the vet on monday evening", "call the vet", (d(3, 16), t(18))),
        ("add call mom sat at 4", "call mom", (d(3, 14), t(16))),
        ("brunch sun 11am", "brunch", (d(3, 15), t(11))),
        ("book table next sat 8pm", "book table", (d(3, 14), t(20))),
    ],
)
def test_weekday_next_to_a_time(text: str, title: str, due: tuple) -> None:
    u = parse(text)
    assert u.task.title == title
    assert (u.task.due_date, u.task.due_time) == due


def test_word_like_weekday_without_time_stays_in_title() -> None:
    assert parse("add enjoy the sun").task.title == "enjoy the sun"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("schedule flight check-in tomorrow 12 am", "flight check-in"),
        ("add follow-up with hr on monday", "follow-up with hr"),
        ("add log-in to the portal tomorrow", "log-in to the portal"),
        ("add drop-off the parcel at 2", "drop-off the parcel"),
    ],
)
def test_hyphenated_joining_word_stays_in_title(text: str, title: str) -> None:
    assert parse(text).task.title == title


# --- 7. intents: help, small talk, queries, bulk --------------------------------------------


@pytest.mark.parametrize(
    "text", ["help me", "i need help", "help please", "مجھے مدد چاہیے", "آپ کیا کیا کر سکتے ہیں"]
)
def test_help_phrasings(text: str) -> None:
    assert parse(text).intent is Intent.HELP


@pytest.mark.parametrize("text", ["ok thanks", "thank you so much", "جی شکریہ", "ok, cool!"])
def test_runs_of_small_talk(text: str) -> None:
    assert parse(text).intent is Intent.UNKNOWN


def test_anything_asks_a_question() -> None:
    u = parse("anything urgent?")
    assert u.intent is Intent.QUERY_TASKS
    assert u.query is not None
    assert u.query.priority == 1


def test_what_did_i_complete() -> None:
    u = parse("what did i complete this week")
    assert u.query is not None
    assert u.query.status == "done"
    assert (u.query.due_from, u.query.due_to) == (d(3, 9), d(3, 15))


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("delete everything on my list", Intent.DELETE_TASK),
        ("مکمل شدہ سارے کام حذف کر دو", Intent.DELETE_TASK),
    ],
)
def test_bulk_phrasings(text: str, intent: Intent) -> None:
    u = parse(text)
    assert u.intent is intent
    assert u.target is not None
    assert u.target.all_tasks


def test_urdu_mark_as_done() -> None:
    u = parse("اس کو مکمل شدہ نشان زد کر دو")
    assert u.intent is Intent.COMPLETE_TASK
    assert u.target is not None
    assert u.target.pronoun


@pytest.mark.parametrize(
    ("text", "title", "rrule"),
    [
        ("yoga every monday sun salutations", "yoga sun salutations", "FREQ=WEEKLY;BYDAY=MO"),
        ("gym every mon wed sat", "gym", "FREQ=WEEKLY;BYDAY=MO,WE,SA"),
        ("quiz every friday sat exam prep", "quiz sat exam prep", "FREQ=WEEKLY;BYDAY=FR"),
    ],
)
def test_bare_space_weekday_list_keeps_word_like_days_in_title(
    text: str, title: str, rrule: str
) -> None:
    u = parse(text)
    assert u.task.title == title
    assert u.recurrence is not None
    assert u.recurrence.rrule == rrule
