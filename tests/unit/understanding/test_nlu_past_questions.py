"""A question in the past tense asks what was done, in Urdu script and in Roman Urdu."""

from __future__ import annotations

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
