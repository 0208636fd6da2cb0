"""Dates and times in task messages, resolved against Friday 2026-03-13 10:00 (Karachi)."""

from __future__ import annotations

from datetime import date, time

import pytest
from nlu_support import d, parse, t

# (message, due_date, due_time)
ENGLISH: list[tuple[str, date | None, time | None]] = [
    ("buy milk today", d(3, 13), None),
    ("buy milk tomorrow", d(3, 14), None),
    ("buy milk tmrw", d(3, 14), None),
    ("buy milk the day after tomorrow", d(3, 15), None),
    ("buy milk friday", d(3, 13), None),
    ("buy milk this friday", d(3, 13), None),  # "this friday" on a friday is today
    ("buy milk next friday", d(3, 20), None),
    ("buy milk on monday", d(3, 16), None),
    ("buy milk next monday", d(3, 16), None),
    ("buy milk on sat", d(3, 14), None),
    ("buy milk next week", d(3, 16), None),
    ("buy milk next month", d(4, 1), None),
    ("pay bills end of month", d(3, 31), None),
    ("clean the garage this weekend", d(3, 14), None),
    ("renew passport in 5 days", d(3, 18), None),
    ("renew passport in 2 weeks", d(3, 27), None),
    ("renew passport in three days", d(3, 16), None),
    ("dentist jan 27", d(1, 27, 2027), None),
    ("dentist 27 jan", d(1, 27, 2027), None),
    ("dentist january 27th, 2028", d(1, 27, 2028), None),
    ("dentist on the 27th", d(3, 27), None),
    ("dentist 27th", d(3, 27), None),
    ("pay rent on the 1st", d(4, 1), None),
    ("dentist 27/1", d(1, 27, 2027), None),
    ("dentist 2027-01-27", d(1, 27, 2027), None),
    ("dentist march 20", d(3, 20), None),
    ("dentist march 10", d(3, 10, 2027), None),
    ("file taxes mid april", d(4, 15), None),
    ("report friday next week", d(3, 20), None),
    ("call mom fri 5pm", d(3, 13), t(17)),
    ("call mom at 5", d(3, 13), t(17)),
    ("call mom at 9", d(3, 14), t(9)),  # 09:00 has passed: tomorrow
    ("call mom at 11", d(3, 13), t(11)),
    ("call mom 7pm", d(3, 13), t(19)),
    ("call mom 7:30 pm", d(3, 13), t(19, 30)),
    ("call mom at 19:00", d(3, 13), t(19)),
    ("call mom at 10:30", d(3, 13), t(10, 30)),
    ("call mom at noon", d(3, 13), t(12)),
    ("call mom at midnight", d(3, 14), t(0)),
    ("call mom at 12am", d(3, 14), t(0)),
    ("call mom at 12 pm", d(3, 13), t(12)),
    ("call mom at 12", d(3, 13), t(12)),
    ("call mom tomorrow morning", d(3, 14), t(9)),
    ("call mom tomorrow afternoon", d(3, 14), t(15)),
    ("call mom tomorrow evening", d(3, 14), t(18)),
    ("call mom tonight", d(3, 13), t(21)),
    ("call mom tomorrow at 5", d(3, 14), t(17)),
    ("call mom tomorrow evening at 6", d(3, 14), t(18)),
    ("call mom at 7 in the evening", d(3, 13), t(19)),
    ("call mom at 5 in the morning", d(3, 14), t(5)),
    ("call mom at 10 at night", d(3, 13), t(22)),
    ("call mom in 30 minutes", d(3, 13), t(10, 30)),
    ("call mom in 2 hours", d(3, 13), t(12)),
    ("call mom in half an hour", d(3, 13), t(10, 30)),
    ("call mom on friday @ 7pm", d(3, 13), t(19)),
    ("call mom jan 27 at 5pm", d(1, 27, 2027), t(17)),
]

URDU: list[tuple[str, date | None, time | None]] = [
    ("آج دودھ خریدنا", d(3, 13), None),
    ("کل دودھ خریدنا", d(3, 14), None),
    ("پرسوں دودھ خریدنا", d(3, 15), None),
    ("جمعہ کو دودھ خریدنا", d(3, 13), None),
    ("اس جمعہ کو دودھ خریدنا", d(3, 13), None),
    ("اگلے جمعہ دودھ خریدنا", d(3, 20), None),
    ("پیر کو دودھ خریدنا", d(3, 16), None),
    ("اتوار کو دودھ خریدنا", d(3, 15), None),
    ("ہفتے کو دودھ خریدنا", d(3, 14), None),  # ہفتے کو = on Saturday
    ("اگلے ہفتے دودھ خریدنا", d(3, 16), None),  # اگلے ہفتے = next week
    ("اگلے مہینے کرایہ دینا", d(4, 1), None),
    ("مہینے کے آخر بل دینا", d(3, 31), None),
    ("اس ہفتے کے آخر گیراج صاف کرنا", d(3, 14), None),
    ("5 دن میں پاسپورٹ بنوانا", d(3, 18), None),
    ("3 دن بعد پاسپورٹ بنوانا", d(3, 16), None),
    ("2 ہفتے بعد پاسپورٹ بنوانا", d(3, 27), None),
    ("27 جنوری کو ڈینٹسٹ", d(1, 27, 2027), None),
    ("۲۷ جنوری کو ڈینٹسٹ", d(1, 27, 2027), None),
    ("27 تاریخ کو ڈینٹسٹ", d(3, 27), None),
    ("کل شام 5 بجے امی کو فون کرنا", d(3, 14), t(17)),
    ("کل شام ۵ بجے امی کو فون کرنا", d(3, 14), t(17)),
    ("5 بجے امی کو فون کرنا", d(3, 13), t(17)),
    ("صبح 8 بجے امی کو فون کرنا", d(3, 14), t(8)),
    ("ساڑھے 5 بجے امی کو فون کرنا", d(3, 13), t(17, 30)),
    ("سوا 5 بجے امی کو فون کرنا", d(3, 13), t(17, 15)),
    ("پونے 5 بجے امی کو فون کرنا", d(3, 13), t(16, 45)),
    ("دوپہر 2 بجے امی کو فون کرنا", d(3, 13), t(14)),
    ("رات 12 بجے امی کو فون کرنا", d(3, 14), t(0)),
    ("کل صبح امی کو فون کرنا", d(3, 14), t(9)),
    ("آج رات امی کو فون کرنا", d(3, 13), t(21)),
    ("آج رات 10 بجے امی کو فون کرنا", d(3, 13), t(22)),
    ("شام 7:30 بجے امی کو فون کرنا", d(3, 13), t(19, 30)),
    ("5 بجے شام امی کو فون کرنا", d(3, 13), t(17)),
    ("آدھے گھنٹے بعد امی کو فون کرنا", d(3, 13), t(10, 30)),
    ("2 گھنٹے بعد امی کو فون کرنا", d(3, 13), t(12)),
    ("20 منٹ بعد امی کو فون کرنا", d(3, 13), t(10, 20)),
    ("پانچ بجے امی کو فون کرنا", d(3, 13), t(17)),
    ("كل امی کو فون کرنا", d(3, 14), None),  # Arabic kaf typed for Urdu ک
]


@pytest.mark.parametrize(("text", "due_date", "due_time"), ENGLISH + URDU)
def test_due_date_and_time(text: str, due_date: date | None, due_time: time | None) -> None:
    task = parse(text).task
    assert (task.due_date, task.due_time) == (due_date, due_time)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("buy milk tomorrow", "buy milk"),
        ("call mom on friday at 5pm", "call mom"),
        ("call mom at 7 in the evening", "call mom"),
        ("کل شام 5 بجے امی کو فون کرنا", "امی کو فون کرنا"),
        ("اگلے جمعہ دودھ خریدنا", "دودھ خریدنا"),
        ("27 جنوری کو ڈینٹسٹ", "ڈینٹسٹ"),
    ],
)
def test_date_words_leave_the_title(text: str, title: str) -> None:
    assert parse(text).task.title == title
