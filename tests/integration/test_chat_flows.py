"""Multi-turn flows through the chat API, in English and Urdu: what was just done is what the
next turn is about."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from tests.conftest import User, register

TZ = ZoneInfo("Asia/Karachi")


class Talk:
    def __init__(self, user: User) -> None:
        self.user = user
        self.conversation: str | None = None

    async def say(self, message: str) -> dict:
        body = {"message": message}
        if self.conversation:
            body["conversation_id"] = self.conversation
        r = await self.user.request("POST", "/v1/chat", json=body)
        assert r.status_code == 200, r.text
        self.conversation = r.json()["conversation_id"]
        return r.json()


async def talk(http: httpx.AsyncClient, locale: str) -> Talk:
    return Talk(await register(http, timezone="Asia/Karachi", locale=locale))


def local(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(TZ)


async def test_what_did_i_finish_today_lists_what_was_just_completed(
    http: httpx.AsyncClient,
) -> None:
    cases = (
        ("en", "add buy milk", "add post the letter", "mark buy milk as done",
         "what did I finish today?"),
        ("ur", "دودھ خریدنا شامل کرو", "خط بھیجنا شامل کرو", "دودھ والا کام مکمل کر دو",
         "آج کے مکمل کام دکھاؤ"),
    )  # fmt: skip
    for locale, add, other, finish, ask in cases:
        chat = await talk(http, locale)
        await chat.say(add)
        await chat.say(other)
        done = await chat.say(finish)
        assert done["actions"][0]["action"] == "completed"
        listed = await chat.say(ask)
        assert [t["title"] for t in listed["tasks"]] == [done["tasks"][0]["title"]]
        assert done["tasks"][0]["title"] in listed["reply"]


async def test_undo_after_a_move_offers_to_undo_that_move(http: httpx.AsyncClient) -> None:
    chat = await talk(http, "en")
    await chat.say("add buy milk")
    await chat.say("mark buy milk as done")  # a done task "reopen" could wrongly pick
    created = await chat.say("add call the dentist friday 10am")
    friday = local(created["tasks"][0]["due"])
    await chat.say("move the dentist to saturday")
    asked = await chat.say("undo")
    assert asked["awaiting_reply"] is True
    assert "dentist" in asked["reply"]
    assert "milk" not in asked["reply"]
    undone = await chat.say("yes")
    assert undone["actions"][0]["action"] == "updated"
    assert local(undone["tasks"][0]["due"]) == friday
    r = await chat.user.request("GET", "/v1/tasks", params={"status": "done"})
    assert [t["title"] for t in r.json()["items"]] == ["buy milk"]


async def test_moving_one_occurrence_of_a_weekly_task_asks_which(
    http: httpx.AsyncClient,
) -> None:
    cases = (
        ("en", "gym every monday at 7am", "move the gym to friday", "just this one", "MO"),
        ("en", "gym every monday at 7am", "move the gym to friday", "every one", "FR"),
        ("ur", "ہر پیر صبح 7 بجے جم جانا", "جم والا کام جمعہ پر منتقل کرو", "صرف یہ والا", "MO"),
        ("ur", "ہر پیر صبح 7 بجے جم جانا", "جم والا کام جمعہ پر منتقل کرو", "ہر بار", "FR"),
    )  # fmt: skip
    for locale, create, move, answer, weekday in cases:
        chat = await talk(http, locale)
        await chat.say(create)
        asked = await chat.say(move)
        assert asked["awaiting_reply"] is True, asked["reply"]
        moved = await chat.say(answer)
        task = moved["tasks"][0]
        assert moved["actions"][0]["action"] == "updated"
        assert local(task["due"]).weekday() == 4
        assert (local(task["due"]).hour, local(task["due"]).minute) == (7, 0)
        assert task["recurrence"]["rrule"] == f"FREQ=WEEKLY;BYDAY={weekday}"


async def test_after_a_clarifying_answer_the_reply_says_when_the_reminder_fires(
    http: httpx.AsyncClient,
) -> None:
    tomorrow = (datetime.now(TZ) + timedelta(days=1)).date()
    cases = (
        ("en", "remind me to call mom", "tomorrow at 5pm", "I'll remind you on", "5:00 PM"),
        ("ur", "امی کو فون کرنا یاد دلانا", "کل شام 5 بجے", "یاد دلاؤں گا", "17:00"),
    )  # fmt: skip
    for locale, ask, answer, says, at in cases:
        chat = await talk(http, locale)
        asked = await chat.say(ask)
        assert asked["awaiting_reply"] is True
        added = await chat.say(answer)
        assert added["actions"][0]["action"] == "created"
        assert says in added["reply"]
        assert at in added["reply"]
        reminder = added["tasks"][0]["reminders"][0]
        assert local(reminder["at"]).date() == tomorrow
        assert local(reminder["at"]).hour == 17
