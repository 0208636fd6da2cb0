"""Chat through HTTP: the assistant understands, acts through its tools, asks when unsure."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from tests.conftest import User, register


async def say(user: User, message: str, conversation_id: str | None = None) -> dict:
    body = {"message": message, **({"conversation_id": conversation_id} if conversation_id else {})}
    r = await user.request("POST", "/v1/chat", json=body)
    assert r.status_code == 200, r.text
    return r.json()


async def open_tasks(user: User) -> list[dict]:
    r = await user.request("GET", "/v1/tasks", params={"status": "open"})
    return r.json()["items"]


async def test_a_conversation_that_creates_lists_updates_completes_and_deletes(
    alice: User,
) -> None:
    tz = ZoneInfo("Asia/Karachi")
    tomorrow = (datetime.now(tz) + timedelta(days=1)).date()

    first = await say(alice, "buy milk tomorrow at 5pm #shopping p1")
    conv = first["conversation_id"]
    assert first["actions"][0]["action"] == "created"
    task = first["tasks"][0]
    assert task["title"] == "buy milk"
    assert task["priority"] == 1
    assert task["tags"] == ["shopping"]
    assert datetime.fromisoformat(task["due"]).astimezone(tz).date() == tomorrow
    assert datetime.fromisoformat(task["due"]).astimezone(tz).hour == 17
    assert "buy milk" in first["reply"]

    await say(alice, "add call the dentist on friday", conv)
    listed = await say(alice, "show my tasks", conv)
    assert {t["title"] for t in listed["tasks"]} >= {"buy milk", "call the dentist"}

    moved = await say(alice, "move buy milk to next monday", conv)
    assert moved["actions"][0]["action"] == "updated"
    due = datetime.fromisoformat(moved["tasks"][0]["due"]).astimezone(tz)
    assert due.weekday() == 0
    assert due.hour == 17  # the hour stays when only the day moves

    done = await say(alice, "mark buy milk as done", conv)
    assert done["actions"][0]["action"] == "completed"
    gone = await say(alice, "delete it", conv)  # "it" = the task last talked about
    assert gone["actions"][0]["action"] == "deleted"
    assert gone["tasks"][0]["title"] == "buy milk"

    titles = [t["title"] for t in await open_tasks(alice)]
    assert titles == ["call the dentist"]

    convs = (await alice.request("GET", "/v1/conversations")).json()
    assert [c["id"] for c in convs] == [conv]
    history = (await alice.request("GET", f"/v1/conversations/{conv}/messages")).json()
    assert len(history) == 12
    assert history[0] == {
        **history[0],
        "role": "user",
        "content": "buy milk tomorrow at 5pm #shopping p1",
    }


async def test_a_missing_title_is_asked_for_and_the_answer_resumes_the_turn(alice: User) -> None:
    asked = await say(alice, "add a task for tomorrow")
    assert asked["awaiting_reply"] is True
    assert asked["actions"] == []
    assert await open_tasks(alice) == []
    answered = await say(alice, "renew passport", asked["conversation_id"])
    assert answered["awaiting_reply"] is False
    assert answered["actions"][0]["action"] == "created"
    assert [t["title"] for t in await open_tasks(alice)] == ["renew passport"]


async def test_an_ambiguous_reference_asks_which_one(alice: User) -> None:
    await say(alice, "add call mom")
    await say(alice, "add call mom's doctor")
    asked = await say(alice, "mark call mom as done")
    # "call mom" matches one title exactly: no question
    assert asked["actions"][0]["action"] == "completed"
    await say(alice, "add pay electricity bill")
    await say(alice, "add pay water bill")
    which = await say(alice, "delete pay bill")
    assert which["awaiting_reply"] is True
    assert "1." in which["reply"]
    assert "2." in which["reply"]
    chosen = await say(alice, "2", which["conversation_id"])
    assert chosen["actions"][0]["action"] == "deleted"
    left = {t["title"] for t in await open_tasks(alice)}
    assert len(left & {"pay electricity bill", "pay water bill"}) == 1


async def test_bulk_delete_asks_for_confirmation_and_no_cancels(alice: User) -> None:
    await say(alice, "add one thing")
    await say(alice, "add another thing")
    asked = await say(alice, "delete all my tasks")
    assert asked["awaiting_reply"] is True
    cancelled = await say(alice, "no", asked["conversation_id"])
    assert cancelled["actions"] == []
    assert len(await open_tasks(alice)) == 2
    again = await say(alice, "delete all my tasks", asked["conversation_id"])
    confirmed = await say(alice, "yes", again["conversation_id"])
    assert len(confirmed["actions"]) == 2
    assert await open_tasks(alice) == []


async def test_bulk_complete_confirms_and_says_what_it_did(http: httpx.AsyncClient) -> None:
    cases = (
        ("en", ["add water the plants", "add feed the cat"], "mark all my tasks as done", "yes",
         "Marked 2 tasks as done"),
        ("ur", ["پودوں کو پانی دینا شامل کرو", "بلی کو کھانا دینا شامل کرو"], "سارے کام مکمل کر دو",
         "ہاں", "2 کام مکمل کر دیے"),
    )  # fmt: skip
    for locale, adds, command, yes, expected in cases:
        user = await register(http, locale=locale)
        for add in adds:
            await say(user, add)
        asked = await say(user, command)
        assert asked["awaiting_reply"] is True
        assert "2" in asked["reply"]
        assert "حذف" not in asked["reply"]
        assert "Delete" not in asked["reply"]
        done = await say(user, yes, asked["conversation_id"])
        assert [a["action"] for a in done["actions"]] == ["completed", "completed"]
        assert expected in done["reply"]
        assert await open_tasks(user) == []


async def test_a_whole_conversation_in_urdu(http: httpx.AsyncClient) -> None:
    user = await register(http, timezone="Asia/Karachi", locale="ur")
    tz = ZoneInfo("Asia/Karachi")
    created = await say(user, "کل شام 5 بجے دودھ خریدنا #گھر")
    conv = created["conversation_id"]
    assert created["language"] == "ur"
    task = created["tasks"][0]
    assert task["title"] == "دودھ خریدنا"
    assert task["tags"] == ["گھر"]
    local = datetime.fromisoformat(task["due"]).astimezone(tz)
    assert local.date() == (datetime.now(tz) + timedelta(days=1)).date()
    assert local.hour == 17
    assert "شامل کر دیا" in created["reply"]

    recurring = await say(user, "ہر اتوار شام 7 بجے امی کو فون کرنا یاد دلانا", conv)
    rtask = recurring["tasks"][0]
    assert rtask["recurrence"]["rrule"] == "FREQ=WEEKLY;BYDAY=SU"
    assert rtask["reminders"] == [{"at": None, "offset_minutes": 0}]
    assert datetime.fromisoformat(rtask["due"]).astimezone(tz).weekday() == 6

    listed = await say(user, "میرے کام دکھاؤ", conv)
    assert len(listed["tasks"]) == 2
    assert "آپ کے 2 کام ہیں" in listed["reply"]

    done = await say(user, "دودھ والا کام مکمل کر دو", conv)
    assert done["actions"][0]["action"] == "completed"
    assert "مکمل کر دیا" in done["reply"]
    deleted = await say(user, "اسے حذف کرو", conv)
    assert deleted["actions"][0]["action"] == "deleted"
    assert deleted["tasks"][0]["title"] == "دودھ خریدنا"


async def test_chat_cannot_reach_another_users_tasks_or_conversations(
    alice: User, bob: User
) -> None:
    mine = await say(alice, "add alice's private plan")
    attempt = await say(bob, "delete alice's private plan")
    assert attempt["actions"] == []
    assert [t["title"] for t in await open_tasks(alice)] == ["alice's private plan"]
    hijack = await bob.request(
        "POST",
        "/v1/chat",
        json={"message": "delete all my tasks", "conversation_id": mine["conversation_id"]},
    )
    assert hijack.status_code == 404
    peek = await bob.request("GET", f"/v1/conversations/{mine['conversation_id']}/messages")
    assert peek.status_code == 404


async def test_bad_chat_input_is_a_clear_error(alice: User) -> None:
    empty = await alice.request("POST", "/v1/chat", json={"message": ""})
    assert empty.status_code == 422
    unknown = await alice.request(
        "POST",
        "/v1/chat",
        json={"message": "hi", "conversation_id": "00000000-0000-0000-0000-000000000000"},
    )
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"


async def test_help_and_nonsense_get_answers_not_actions(alice: User) -> None:
    helped = await say(alice, "help")
    assert "remind me" in helped["reply"]
    assert helped["actions"] == []
    lost = await say(alice, "???")
    assert lost["actions"] == []
    assert await open_tasks(alice) == []


async def test_every_decision_is_audited_questions_included(alice: User, pool) -> None:
    asked = await say(alice, "add a task for tomorrow")
    await say(alice, "renew passport", asked["conversation_id"])
    await say(alice, "what's due tomorrow?", asked["conversation_id"])
    rows = await pool.fetch(
        "SELECT event FROM app.outbox WHERE key = $1 AND event->>'type' = 'agent.decision'"
        " ORDER BY id",
        alice.id,
    )
    decisions = [json.loads(r["event"])["data"] if isinstance(r["event"], str)
                 else r["event"]["data"] for r in rows]  # fmt: skip
    assert [(d["intent"], d["outcome"]) for d in decisions] == [
        ("create_task", "clarify"),
        ("create_task", "executed"),
        ("query_tasks", "answered"),
    ]
    assert decisions[1]["tool_calls"][0]["name"] == "create_task"
    assert decisions[1]["skill_output"]["fields"]["title"] == "renew passport"


async def test_bulk_changes_reach_past_the_first_page(http: httpx.AsyncClient) -> None:
    user = await register(http)
    for i in range(205):  # more than one page of the task tools
        r = await user.request("POST", "/v1/tasks", json={"title": f"chore {i}"})
        assert r.status_code == 201
    asked = await say(user, "delete all my tasks")
    assert "205" in asked["reply"]
    done = await say(user, "yes", asked["conversation_id"])
    assert len(done["actions"]) == 205
    assert (await user.request("GET", "/v1/tasks")).json()["items"] == []  # every status


async def test_a_conversation_can_be_forgotten_by_its_owner_only(
    alice: User, bob: User, pool
) -> None:
    asked = await say(alice, "add a task for tomorrow")  # leaves a question pending too
    conv = asked["conversation_id"]
    assert await pool.fetchval("SELECT count(*) FROM checkpoints WHERE thread_id = $1", conv)

    r = await bob.request("DELETE", f"/v1/conversations/{conv}")
    assert r.status_code == 404
    r = await alice.request("DELETE", f"/v1/conversations/{conv}")
    assert r.status_code == 204

    assert (await alice.request("GET", "/v1/conversations")).json() == []
    r = await alice.request("GET", f"/v1/conversations/{conv}/messages")
    assert r.status_code == 404
    for table in ("checkpoints", "checkpoint_writes", "checkpoint_blobs"):
        n = await pool.fetchval(f"SELECT count(*) FROM {table} WHERE thread_id = $1", conv)
        assert n == 0, table
    again = await say(alice, "add water the plants")  # a new conversation works as before
    assert again["conversation_id"] != conv
