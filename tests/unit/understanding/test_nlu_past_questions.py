"""A question in the past tense asks what was done, in Urdu script and in Roman Urdu."""

from __future__ import annotations

from datetime import timedelta

import pytest
from nlu_support import CTX, parse

from skills.understanding import Intent


@pytest.mark.parametrize(
    "text",
    [
        "آج میں نے کون سے کام مکمل کیے",
        "آج کون سے کام مکمل ہوئے",
        "میں نے آج کیا مکمل کیا",
        "aaj maine kaun se kaam mukammal kiye",
        "aaj kya kya mukammal kiya",
        "aj mene konse kaam mukammal kiye",
    ],
)
def test_what_was_done_today_is_a_query_of_done_tasks(text: str) -> None:
    u = parse(text)
    assert u.intent is Intent.QUERY_TASKS
    assert u.query is not None
    assert u.query.status == "done"
    assert u.query.due_from == u.query.due_to == CTX.now.date()


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ٹکٹ والا کام مکمل کر دو", Intent.COMPLETE_TASK),  # a command, not a question
        ("کیا رپورٹ مکمل کر دو", Intent.COMPLETE_TASK),
        ("doodh lena ho gaya", Intent.COMPLETE_TASK),
    ],
)
def test_commands_stay_commands(text: str, intent: Intent) -> None:
    assert parse(text).intent is intent


@pytest.mark.parametrize(
    "text",
    [
        "کل میں نے کون سے کام مکمل کیے",
        "کل کتنے کام مکمل ہوئے",
        "کل کون سے کام مکمل ہوئے تھے",
        "گزشتہ کل کون سے کام مکمل ہوئے",
        "kal maine kaun se kaam mukammal kiye",
        "kal kitne kaam mukammal hue",
    ],
)
def test_kal_in_the_past_tense_is_yesterday(text: str) -> None:
    u = parse(text)
    assert u.intent is Intent.QUERY_TASKS
    assert u.query is not None
    assert u.query.status == "done"
    assert u.query.due_from == CTX.now.date() - timedelta(days=1)


@pytest.mark.parametrize(
    "text",
    ["کل دودھ خریدنا", "کل کیا ہے", "کل کون سے کام ہیں", "kal doodh lena", "کل مجھے دودھ لینا ہے"],
)
def test_kal_otherwise_is_tomorrow(text: str) -> None:
    u = parse(text)
    day = u.query.due_from if u.query is not None else u.task.due_date
    assert day == CTX.now.date() + timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("میں نے دودھ لے لیا", "دودھ"),
        ("میں نے امی کو فون کر دیا", "امی کو فون"),
        ("میں نے رپورٹ بھیج دی ہے", "رپورٹ"),
        ("maine doodh le liya", "doodh"),
        ("maine ami ko call kar di", "ami ko call"),
    ],
)
def test_a_past_statement_with_main_ne_says_a_task_is_done(text: str, target: str) -> None:
    u = parse(text)
    assert u.intent is Intent.COMPLETE_TASK
    assert u.target is not None
    assert u.target.text == target


@pytest.mark.parametrize(
    "text", ["میں نے سوچا کہ کل دودھ لینا ہے", "kal doodh le lena", "ami ko call kar dena"]
)
def test_what_is_still_to_do_stays_a_task(text: str) -> None:
    assert parse(text).intent is Intent.CREATE_TASK
