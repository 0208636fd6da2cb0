"""The multi-turn goldens (evals/conversations): each conversation through the chat API."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from evals.conversation_goldens import NEVER_IN_A_REPLY, Conversation, ExpectedTask, load_all
from tests.conftest import register


def _cases() -> list:
    return [
        pytest.param(c, id=c.id, marks=[pytest.mark.xfail(reason=c.xfail)] if c.xfail else [])
        for c in load_all()
    ]


def _check_task(task: dict, want: ExpectedTask, sent_at: datetime, tz: ZoneInfo) -> None:
    if want.title is not None:
        assert task["title"] == want.title
    if want.tags is not None:
        assert task["tags"] == want.tags
    if want.reminders is not None:
        assert task["reminders"] == want.reminders
    if want.rrule is not None:
        assert (task.get("recurrence") or {}).get("rrule") == want.rrule
    if want.all_day is not None:
        assert task["all_day"] is want.all_day
    due = datetime.fromisoformat(task["due"]) if task.get("due") else None
    if want.due_at_least_seconds is not None:
        assert due is not None
        assert (due - sent_at).total_seconds() >= want.due_at_least_seconds
    local = due.astimezone(tz) if due else None
    if want.due_days_from_today is not None:
        assert local is not None
        assert (local.date() - sent_at.astimezone(tz).date()).days == want.due_days_from_today
    if want.due_hour is not None:
        assert local is not None
        assert local.hour == want.due_hour
    if want.due_day_of_month is not None:
        assert local is not None
        assert local.day == want.due_day_of_month


@pytest.mark.parametrize("conversation", _cases())
async def test_conversation_golden(http: httpx.AsyncClient, conversation: Conversation) -> None:
    user = await register(http, timezone=conversation.timezone, locale=conversation.locale)
    tz = ZoneInfo(conversation.timezone)
    conv_id: str | None = None
    for number, turn in enumerate(conversation.turns, start=1):
        sent_at = datetime.now(UTC)
        body = {"message": turn.say, **({"conversation_id": conv_id} if conv_id else {})}
        r = await user.request("POST", "/v1/chat", json=body)
        assert r.status_code == 200, r.text
        out = r.json()
        conv_id = out["conversation_id"]
        want, reply = turn.expect, out["reply"]
        where = f"turn {number} ({turn.say!r}) answered {reply!r}"
        for bad in NEVER_IN_A_REPLY:
            assert bad not in reply, where
        if want.actions is not None:
            assert [a["action"] for a in out["actions"]] == want.actions, where
        if want.awaiting_reply is not None:
            assert out["awaiting_reply"] is want.awaiting_reply, where
        if want.language is not None:
            assert out["language"] == want.language, where
        for text in want.reply_has:
            assert text in reply, where
        for text in want.reply_lacks:
            assert text not in reply, where
        if want.titles is not None:
            assert [t["title"] for t in out["tasks"]] == want.titles, where
        if want.task is not None:
            assert out["tasks"], where
            _check_task(out["tasks"][0], want.task, sent_at, tz)
