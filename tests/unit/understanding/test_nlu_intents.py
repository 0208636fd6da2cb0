"""Intents, task references, update changes and what is missing, in English and Urdu."""

from __future__ import annotations

import pytest
from nlu_support import CTX, d, parse, t

from skills.understanding import Intent, RulesUnderstander, TaskRef
from skills.understanding.types import Understanding

# (message, intent, target)
REFERENCES: list[tuple[str, Intent, TaskRef | None]] = [
    ("delete the dentist task", Intent.DELETE_TASK, TaskRef(text="dentist")),
    ("remove buy milk", Intent.DELETE_TASK, TaskRef(text="buy milk")),
    ("cancel the meeting with Ali", Intent.DELETE_TASK, TaskRef(text="meeting with Ali")),
    ("delete it", Intent.DELETE_TASK, TaskRef(pronoun=True)),
    ("please delete that", Intent.DELETE_TASK, TaskRef(pronoun=True)),
    ("delete all my tasks", Intent.DELETE_TASK, TaskRef(all_tasks=True)),
    ("clear everything", Intent.DELETE_TASK, TaskRef(all_tasks=True)),
    ("mark the report as done", Intent.COMPLETE_TASK, TaskRef(text="report")),
    ("mark it done", Intent.COMPLETE_TASK, TaskRef(pronoun=True)),
    ("complete buy milk", Intent.COMPLETE_TASK, TaskRef(text="buy milk")),
    ("I finished the laundry", Intent.COMPLETE_TASK, TaskRef(text="laundry")),
    ("done with the slides", Intent.COMPLETE_TASK, TaskRef(text="slides")),
    ("the laundry is done", Intent.COMPLETE_TASK, TaskRef(text="laundry")),
    ("reopen the report", Intent.REOPEN_TASK, TaskRef(text="report")),
    ("mark buy milk as not done", Intent.REOPEN_TASK, TaskRef(text="buy milk")),
    ("undo that", Intent.REOPEN_TASK, TaskRef(pronoun=True)),
    # Urdu: SOV, the verb comes last
    ("دودھ والا کام مکمل کر دو", Intent.COMPLETE_TASK, TaskRef(text="دودھ")),
    ("رپورٹ مکمل ہو گئی", Intent.COMPLETE_TASK, TaskRef(text="رپورٹ")),
    ("اسے مکمل کر دو", Intent.COMPLETE_TASK, TaskRef(pronoun=True)),
    ("دودھ خریدنا ہو گیا", Intent.COMPLETE_TASK, TaskRef(text="دودھ خریدنا")),
    ("اسے حذف کرو", Intent.DELETE_TASK, TaskRef(pronoun=True)),
    ("اس کو ہٹا دو", Intent.DELETE_TASK, TaskRef(pronoun=True)),
    ("ڈینٹسٹ والا کام حذف کر دو", Intent.DELETE_TASK, TaskRef(text="ڈینٹسٹ")),
    ("سارے کام حذف کر دو", Intent.DELETE_TASK, TaskRef(all_tasks=True)),
    ("میرے تمام کام مٹا دو", Intent.DELETE_TASK, TaskRef(all_tasks=True)),
    ("میٹنگ والا کام منسوخ کرو", Intent.DELETE_TASK, TaskRef(text="میٹنگ")),
    ("رپورٹ والا کام دوبارہ کھولو", Intent.REOPEN_TASK, TaskRef(text="رپورٹ")),
    ("اسے دوبارہ کھول دو", Intent.REOPEN_TASK, TaskRef(pronoun=True)),
]


@pytest.mark.parametrize(("text", "intent", "target"), REFERENCES)
def test_intent_and_target(text: str, intent: Intent, target: TaskRef | None) -> None:
    u = parse(text)
    assert (u.intent, u.target) == (intent, target)
    assert u.confidence >= 0.6
    assert u.missing == []


# (message, intent, title, language)
CREATES: list[tuple[str, str, str]] = [
    ("add buy milk", "buy milk", "en"),
    ("add buy milk to my list", "buy milk", "en"),
    ("create a task to call the bank", "call the bank", "en"),
    ("new task: Call the plumber", "Call the plumber", "en"),
    ("please add pick up the kids", "pick up the kids", "en"),
    ("I need to renew my passport", "renew my passport", "en"),
    ("remind me to pay rent tomorrow", "pay rent", "en"),
    ("remind me to delete old emails tomorrow", "delete old emails", "en"),
    ("دودھ خریدنا شامل کرو", "دودھ خریدنا", "ur"),
    ("بل جمع کروانا فہرست میں شامل کرو", "بل جمع کروانا", "ur"),
    ("نیا کام: گاڑی دھلوانا", "گاڑی دھلوانا", "ur"),
    ("کل شام 5 بجے امی کو فون کرنا یاد دلانا", "امی کو فون کرنا", "ur"),
    ("مجھے کل دودھ خریدنا یاد دلانا", "دودھ خریدنا", "ur"),
    ("مجھے دودھ خریدنا ہے", "دودھ خریدنا", "ur"),
    ("سبزی لانا لکھ لو", "سبزی لانا", "ur"),
]


@pytest.mark.parametrize(("text", "title", "language"), CREATES)
def test_create_task_title(text: str, title: str, language: str) -> None:
    u = parse(text)
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title == title
    assert u.language == language
    assert u.confidence >= 0.9


def test_remind_me_to_is_a_task_with_a_reminder_at_due_time() -> None:
    u = parse("remind me to call mom tomorrow at 5pm")
    assert u.intent is Intent.CREATE_TASK
    assert (u.task.title, u.task.due_date, u.task.due_time) == ("call mom", d(3, 14), t(17))
    assert u.reminder is not None
    assert u.reminder.offset_minutes == 0


def test_urdu_remind_me_to() -> None:
    u = parse("کل شام 5 بجے امی کو فون کرنا یاد دلانا")
    assert (u.task.due_date, u.task.due_time) == (d(3, 14), t(17))
    assert u.reminder is not None
    assert u.reminder.offset_minutes == 0


# update: (message, target text, changed fields)
UPDATES: list[tuple[str, TaskRef, dict[str, object]]] = [
    ("move the dentist to friday", TaskRef(text="dentist"), {"due_date": d(3, 13)}),
    ("reschedule the dentist to next monday at 3pm", TaskRef(text="dentist"),
     {"due_date": d(3, 16), "due_time": t(15)}),
    ("postpone buy milk until tomorrow", TaskRef(text="buy milk"), {"due_date": d(3, 14)}),
    ("move it to tomorrow", TaskRef(pronoun=True), {"due_date": d(3, 14)}),
    ("change the dentist from tuesday to friday", TaskRef(text="dentist"), {"due_date": d(3, 13)}),
    ("rename buy milk to buy oat milk", TaskRef(text="buy milk"), {"title": "buy oat milk"}),
    ("change the title of the report to Q1 report", TaskRef(text="report"), {"title": "Q1 report"}),
    ("change priority of the report to p1", TaskRef(text="report"), {"priority": 1}),
    ("set the priority of buy milk to low", TaskRef(text="buy milk"), {"priority": 4}),
    ("make the report urgent", TaskRef(text="report"), {"priority": 1}),
    ("add tag #work to the report", TaskRef(text="report"), {"tags": ["work"]}),
    ("tag the report with #work #q1", TaskRef(text="report"), {"tags": ["work", "q1"]}),
    ("ڈینٹسٹ والا کام جمعہ پر منتقل کرو", TaskRef(text="ڈینٹسٹ"), {"due_date": d(3, 13)}),
    ("دودھ والا کام کل پر منتقل کر دو", TaskRef(text="دودھ"), {"due_date": d(3, 14)}),
    ("اسے پیر کو منتقل کرو", TaskRef(pronoun=True), {"due_date": d(3, 16)}),
    ("رپورٹ والے کام کی ترجیح p1 کر دو", TaskRef(text="رپورٹ"), {"priority": 1}),
    ("رپورٹ والے کام کو فوری بنا دو", TaskRef(text="رپورٹ"), {"priority": 1}),
    ("رپورٹ والے کام پر #دفتر ٹیگ لگا دو", TaskRef(text="رپورٹ"), {"tags": ["دفتر"]}),
    ("دودھ خریدنا کا نام بدل کر دودھ اور انڈے خریدنا رکھ دو", TaskRef(text="دودھ خریدنا"),
     {"title": "دودھ اور انڈے خریدنا"}),
    ("میٹنگ کا وقت شام 6 بجے کر دو", TaskRef(text="میٹنگ"),
     {"due_date": d(3, 13), "due_time": t(18)}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "target", "changes"), UPDATES)
def test_update_extracts_target_and_changes(
    text: str, target: TaskRef, changes: dict[str, object]
) -> None:
    u = parse(text)
    assert u.intent is Intent.UPDATE_TASK
    assert u.target == target
    assert u.task.model_dump(exclude_defaults=True) == changes
    assert u.missing == []


SET_REMINDERS: list[tuple[str, TaskRef, dict[str, object]]] = [
    ("remind me about the dentist tomorrow at 9", TaskRef(text="dentist"),
     {"at_date": d(3, 14), "at_time": t(9)}),
    ("remind me 30 minutes before the meeting", TaskRef(text="meeting"), {"offset_minutes": 30}),
    ("set a reminder for the meeting an hour before", TaskRef(text="meeting"),
     {"offset_minutes": 60}),
    ("remind me of it a day early", TaskRef(pronoun=True), {"offset_minutes": 1440}),
    ("remind me about buy milk 2 days before", TaskRef(text="buy milk"), {"offset_minutes": 2880}),
    ("میٹنگ سے 30 منٹ پہلے یاد دلانا", TaskRef(text="میٹنگ"), {"offset_minutes": 30}),
    ("ڈینٹسٹ والے کام کی یاد دہانی کل صبح 9 بجے لگا دو", TaskRef(text="ڈینٹسٹ"),
     {"at_date": d(3, 14), "at_time": t(9)}),
    ("اس کی ایک گھنٹہ پہلے یاد دہانی لگا دو", TaskRef(pronoun=True), {"offset_minutes": 60}),
    ("رپورٹ والے کام کی ایک دن پہلے یاد دہانی لگاؤ", TaskRef(text="رپورٹ"),
     {"offset_minutes": 1440}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "target", "reminder"), SET_REMINDERS)
def test_set_reminder(text: str, target: TaskRef, reminder: dict[str, object]) -> None:
    u = parse(text)
    assert u.intent is Intent.SET_REMINDER
    assert u.target == target
    assert u.reminder is not None
    assert u.reminder.model_dump(exclude_defaults=True) == reminder


def test_reminder_offset_inside_a_new_task() -> None:
    u = parse("dentist friday 3pm, remind me 30 minutes before")
    assert u.intent is Intent.CREATE_TASK
    assert (u.task.title, u.task.due_date, u.task.due_time) == ("dentist", d(3, 13), t(15))
    assert u.reminder is not None
    assert u.reminder.offset_minutes == 30


def test_absolute_reminder_inside_a_new_task() -> None:
    u = parse("call the bank friday at 5pm, remind me at 4pm")
    assert (u.task.title, u.task.due_time) == ("call the bank", t(17))
    assert u.reminder is not None
    assert (u.reminder.at_date, u.reminder.at_time) == (d(3, 13), t(16))


MISSING: list[tuple[str, Intent, list[str]]] = [
    ("add", Intent.CREATE_TASK, ["title"]),
    ("add a task for tomorrow", Intent.CREATE_TASK, ["title"]),
    ("remind me to call mom", Intent.CREATE_TASK, ["when"]),
    ("delete", Intent.DELETE_TASK, ["target"]),
    ("mark as done", Intent.COMPLETE_TASK, ["target"]),
    ("move the dentist", Intent.UPDATE_TASK, ["changes"]),
    ("move to friday", Intent.UPDATE_TASK, ["target"]),
    ("remind me about the dentist", Intent.SET_REMINDER, ["when"]),
    ("شامل کرو", Intent.CREATE_TASK, ["title"]),
    ("حذف کرو", Intent.DELETE_TASK, ["target"]),
    ("مکمل کر دو", Intent.COMPLETE_TASK, ["target"]),
    ("ڈینٹسٹ والا کام منتقل کرو", Intent.UPDATE_TASK, ["changes"]),
]


@pytest.mark.parametrize(("text", "intent", "missing"), MISSING)
def test_missing_fields(text: str, intent: Intent, missing: list[str]) -> None:
    u = parse(text)
    assert (u.intent, u.missing) == (intent, missing)


CONFIDENCE: list[tuple[str, Intent, float]] = [
    ("buy milk tomorrow #home", Intent.CREATE_TASK, 0.75),
    ("ہر اتوار شام 7 بجے امی کو فون کرنا", Intent.CREATE_TASK, 0.75),
    ("فوری: بل جمع کروانا #گھر", Intent.CREATE_TASK, 0.75),
    ("pay rent p1", Intent.CREATE_TASK, 0.75),
    ("milk", Intent.CREATE_TASK, 0.5),
    ("دودھ", Intent.CREATE_TASK, 0.5),
    ("hi", Intent.HELP, 0.8),
    ("السلام علیکم", Intent.HELP, 0.8),
    ("help", Intent.HELP, 0.9),
    ("what can you do?", Intent.HELP, 0.9),
    ("مدد", Intent.HELP, 0.9),
    ("thanks", Intent.UNKNOWN, 0.3),
    ("شکریہ", Intent.UNKNOWN, 0.3),
    ("👍", Intent.UNKNOWN, 0.3),
]


@pytest.mark.parametrize(("text", "intent", "confidence"), CONFIDENCE)
def test_intent_confidence(text: str, intent: Intent, confidence: float) -> None:
    u = parse(text)
    assert (u.intent, u.confidence) == (intent, confidence)


def test_bare_phrase_is_a_create_below_threshold() -> None:
    u = parse("milk")
    assert (u.intent, u.task.title) == (Intent.CREATE_TASK, "milk")
    assert u.confidence < 0.6


async def test_async_interface_matches_sync() -> None:
    backend = RulesUnderstander()
    got = await backend.understand("move the dentist to friday", CTX)
    assert isinstance(got, Understanding)
    assert got == backend.understand_sync("move the dentist to friday", CTX)


@pytest.mark.parametrize(
    ("text", "language"),
    [("buy milk", "en"), ("دودھ خریدنا", "ur"), ("call امی tomorrow", "ur"), ("p1 #work", "en")],
)
def test_language(text: str, language: str) -> None:
    assert parse(text).language == language
