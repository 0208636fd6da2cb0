"""Urdu end to end: SOV commands as a user would type them, checked field by field."""

from __future__ import annotations

from typing import Any

import pytest
from nlu_support import d, parse, t

from domain.recurrence import first_n_local
from skills.understanding import Intent, TaskRef

# (message, expected fields); only the listed fields are checked
CASES: list[tuple[str, dict[str, Any]]] = [
    ("پرسوں صبح 10 بجے ڈاکٹر کے پاس جانا",
     {"intent": Intent.CREATE_TASK, "title": "ڈاکٹر کے پاس جانا", "due": (d(3, 15), t(10))}),
    ("جمعرات کو بجلی کا بل جمع کروانا #گھر p1",
     {"title": "بجلی کا بل جمع کروانا", "due": (d(3, 19), None), "priority": 1, "tags": ["گھر"]}),
    ("رپورٹ بھیجنا اگلے پیر تک", {"title": "رپورٹ بھیجنا", "due": (d(3, 16), None)}),
    ("امی کی سالگرہ 27 جنوری", {"title": "امی کی سالگرہ", "due": (d(1, 27, 2027), None)}),
    ("کل صبح 9 بجے دوا لینا یاد دلانا",
     {"intent": Intent.CREATE_TASK, "title": "دوا لینا", "due": (d(3, 14), t(9)), "offset": 0}),
    ("ایک گھنٹے بعد چائے بنانا یاد دلانا", {"title": "چائے بنانا", "due": (d(3, 13), t(11))}),
    ("دودھ خریدنا یاد دلانا", {"intent": Intent.CREATE_TASK, "missing": ["when"]}),
    ("رپورٹ مکمل کرنا", {"intent": Intent.CREATE_TASK, "title": "رپورٹ مکمل کرنا"}),
    ("ڈاکٹر والا کام کل صبح 11 بجے پر منتقل کر دو",
     {"intent": Intent.UPDATE_TASK, "target": TaskRef(text="ڈاکٹر"), "due": (d(3, 14), t(11))}),
    ("اسے کل پر منتقل کرو", {"intent": Intent.UPDATE_TASK, "target": TaskRef(pronoun=True)}),
    ("اسے فوری بنا دو", {"intent": Intent.UPDATE_TASK, "priority": 1}),
    ("گاڑی کی سروس والا کام مکمل ہو گیا",
     {"intent": Intent.COMPLETE_TASK, "target": TaskRef(text="گاڑی کی سروس")}),
    ("رپورٹ والا کام مکمل کرنا", {"intent": Intent.COMPLETE_TASK, "target": TaskRef(text="رپورٹ")}),
    ("بل والے کام کو حذف کر دو", {"intent": Intent.DELETE_TASK, "target": TaskRef(text="بل")}),
    ("سارے مکمل شدہ کام حذف کر دو",
     {"intent": Intent.DELETE_TASK, "target": TaskRef(all_tasks=True)}),
    ("ڈینٹسٹ والا کام دوبارہ کھول دو",
     {"intent": Intent.REOPEN_TASK, "target": TaskRef(text="ڈینٹسٹ")}),
    ("میٹنگ کی یاد دہانی 15 منٹ پہلے لگا دو",
     {"intent": Intent.SET_REMINDER, "target": TaskRef(text="میٹنگ"), "offset": 15}),
    ("کل کے فوری کام دکھاؤ",
     {"intent": Intent.QUERY_TASKS, "range": (d(3, 14), d(3, 14)), "qpriority": 1}),
    ("میرے مکمل شدہ کام دکھاؤ", {"intent": Intent.QUERY_TASKS, "status": "done"}),
    ("آج کیا ہے", {"intent": Intent.QUERY_TASKS, "range": (d(3, 13), d(3, 13))}),
    ("اس مہینے کے کام دکھاؤ", {"intent": Intent.QUERY_TASKS, "range": (d(3, 1), d(3, 31))}),
    ("تاخیر شدہ کام دکھاؤ", {"intent": Intent.QUERY_TASKS, "range": (None, d(3, 12))}),
    ("باقی کام دکھاؤ", {"intent": Intent.QUERY_TASKS, "status": "open"}),
    ("ہر روز رات 10 بجے دانت صاف کرنا",
     {"title": "دانت صاف کرنا", "occurs": [(3, 13, 22), (3, 14, 22)]}),
    ("ہر 2 ہفتے بعد بال کٹوانا", {"title": "بال کٹوانا", "occurs": [(3, 14, 9), (3, 28, 9)]}),
    ("روزانہ ورزش کرنا", {"title": "ورزش کرنا", "occurs": [(3, 14, 9), (3, 15, 9)]}),
    ("ہر جمعہ نماز کے بعد مسجد جانا",
     {"title": "نماز کے بعد مسجد جانا", "occurs": [(3, 20, 9), (3, 27, 9)]}),
    ("ہر مہینے کی 5 تاریخ کو تنخواہ چیک کرنا",
     {"intent": Intent.CREATE_TASK, "title": "تنخواہ چیک کرنا", "occurs": [(4, 5, 9), (5, 5, 9)]}),
    ("ہر ہفتے کے آخر گھر کی صفائی", {"occurs": [(3, 14, 9), (3, 15, 9), (3, 21, 9)]}),
    ("ہر سال 14 اگست کو جھنڈا لگانا", {"occurs": [(8, 14, 9), (8, 14, 9, 2027)]}),
    ("ہر پیر صبح 9 بجے میٹنگ 3 بار",
     {"occurs": [(3, 16, 9), (3, 23, 9), (3, 30, 9)], "bounded": True}),
    ("ہر منگل 4 ہفتے تک ٹیوشن", {"occurs": [(3, 17, 9), (3, 24, 9), (3, 31, 9), (4, 7, 9)],
                                 "bounded": True}),
    ("ساڑھے 8 بجے ناشتہ بنانا", {"due": (d(3, 14), t(8, 30))}),
    ("آج شام ساڑھے 7 بجے دوستوں سے ملنا",
     {"title": "دوستوں سے ملنا", "due": (d(3, 13), t(19, 30))}),
    ("ڈیڑھ گھنٹے بعد کھانا گرم کرنا", {"due": (d(3, 13), t(11, 30))}),
    ("کل دوپہر 1 بجے لنچ میٹنگ", {"title": "لنچ میٹنگ", "due": (d(3, 14), t(13))}),
    ("السلام علیکم", {"intent": Intent.HELP}),
    ("آپ کیا کر سکتے ہیں؟", {"intent": Intent.HELP}),
    ("ٹھیک ہے", {"intent": Intent.UNKNOWN}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_urdu_end_to_end(text: str, expected: dict[str, Any]) -> None:
    u = parse(text)
    assert u.language == "ur"
    checks = {
        "intent": lambda: u.intent,
        "title": lambda: u.task.title,
        "due": lambda: (u.task.due_date, u.task.due_time),
        "priority": lambda: u.task.priority,
        "tags": lambda: u.task.tags,
        "target": lambda: u.target,
        "missing": lambda: u.missing,
        "offset": lambda: u.reminder.offset_minutes if u.reminder else None,
        "range": lambda: (u.query.due_from, u.query.due_to) if u.query else None,
        "qpriority": lambda: u.query.priority if u.query else None,
        "status": lambda: u.query.status if u.query else None,
    }
    for key, want in expected.items():
        if key in ("occurs", "bounded"):
            continue
        assert checks[key]() == want, key
    if "occurs" in expected:
        assert u.recurrence is not None
        want = [d(*o[:2], *(o[3:] or (2026,))) for o in expected["occurs"]]
        want_dt = [(w, t(o[2])) for w, o in zip(want, expected["occurs"], strict=True)]
        got = first_n_local(u.recurrence.rrule, u.recurrence.dtstart, len(want) + 2)
        pairs = [(g.date(), g.time()) for g in got]
        if expected.get("bounded"):
            assert pairs == want_dt
        else:
            assert pairs[: len(want_dt)] == want_dt


@pytest.mark.parametrize(
    ("text", "title", "hour"),
    [
        ("کل صبح 6 بجے مجھے جگا دینا", "جگا دینا", 6),
        ("کل صبح سات بجے مجھے اٹھا دیں", "اٹھا دیں", 7),
        ("kal subah 6 baje mujhe jaga dena", "jaga dena", 6),
        ("kal subah 7 baje mujhe utha dein", "utha dein", 7),
    ],
)
def test_wake_me_up_is_a_reminder_at_that_moment(text: str, title: str, hour: int) -> None:
    u = parse(text)
    assert u.intent is Intent.CREATE_TASK
    assert u.task.title == title
    assert u.task.due_time is not None
    assert u.task.due_time.hour == hour
    assert u.reminder is not None
    assert u.reminder.offset_minutes == 0


def test_lifting_something_for_me_is_not_waking_me() -> None:
    assert parse("مجھے یہ ڈبہ اٹھا دینا").reminder is None
