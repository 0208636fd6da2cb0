"""The chat stream through HTTP: reply-shaped server-sent events, not the graph's steps."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from tests.conftest import User, register

Event = tuple[str, dict[str, Any]]


async def stream(user: User, message: str, conversation_id: str | None = None) -> list[Event]:
    body = {"message": message, **({"conversation_id": conversation_id} if conversation_id else {})}
    async with user.client.stream("POST", "/v1/chat/stream", json=body, headers=user.headers) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        text = (await r.aread()).decode()
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def named(events: list[Event], name: str) -> list[dict[str, Any]]:
    return [data for event, data in events if event == name]


async def test_a_turn_streams_progress_the_action_the_reply_then_the_result(alice: User) -> None:
    events = await stream(alice, "buy milk tomorrow at 5pm #shopping")
    names = [e for e, _ in events]
    assert [d["stage"] for d in named(events, "progress")] == [
        "understanding", "planning", "acting", "replying",
    ]  # fmt: skip
    # The change is told as it is made, before the reply; the result closes the stream.
    assert names.index("action") < names.index("reply") < names.index("result") == len(names) - 1
    [action] = named(events, "action")
    assert action["action"] == "created"
    assert action["task"]["title"] == "buy milk"
    [reply] = named(events, "reply")
    assert "buy milk" in reply["text"]
    assert reply["language"] == "en"
    [result] = named(events, "result")
    assert result["reply"] == reply["text"]
    assert result["awaiting_reply"] is False
    assert result["question"] is None
    assert result["tasks"][0]["tags"] == ["shopping"]
    # No graph internals: no node names, plans or state keys on the wire.
    wire = json.dumps([d for _, d in events])
    for key in ('"node":', '"plan":', '"understanding":', '"turn_key":', '"tool_calls":'):
        assert key not in wire


async def test_an_ambiguous_reference_asks_with_one_quick_reply_per_candidate(
    alice: User,
) -> None:
    for title in ("pay electricity bill", "pay water bill"):
        r = await alice.request("POST", "/v1/tasks", json={"title": title})
        assert r.status_code == 201
    events = await stream(alice, "delete pay bill")
    assert named(events, "reply") == []
    assert named(events, "action") == []
    [question] = named(events, "question")
    assert question["kind"] == "which"
    assert question["confirm"] is False
    labels = {o["label"] for o in question["options"]}
    assert labels == {"pay electricity bill", "pay water bill"}
    assert named(events, "result")[0]["question"] == question

    # A quick reply's value is the message that answers the question.
    chosen = next(o for o in question["options"] if o["label"] == "pay water bill")
    conversation = named(events, "result")[0]["conversation_id"]
    answered = await stream(alice, chosen["value"], conversation)
    [action] = named(answered, "action")
    assert action["action"] == "deleted"
    assert action["task"]["title"] == "pay water bill"
    left = await alice.request("GET", "/v1/tasks", params={"status": "open"})
    assert [t["title"] for t in left.json()["items"]] == ["pay electricity bill"]


async def test_a_bulk_change_asks_with_confirm_and_cancel_in_the_users_language(
    alice: User,
) -> None:
    urdu = await register(alice.client, timezone="Asia/Karachi", locale="ur")
    for title in ("دودھ خریدنا", "بل ادا کرنا"):
        r = await urdu.request("POST", "/v1/tasks", json={"title": title})
        assert r.status_code == 201
    events = await stream(urdu, "تمام کام حذف کر دو")
    [question] = named(events, "question")
    assert question["confirm"] is True
    assert question["bulk"] is True
    assert question["language"] == "ur"
    assert [o["label"] for o in question["options"]] == ["ہاں", "نہیں"]
    cancel = question["options"][1]["value"]
    conversation = named(events, "result")[0]["conversation_id"]
    cancelled = await stream(urdu, cancel, conversation)
    assert named(cancelled, "action") == []
    assert named(cancelled, "reply")[0]["language"] == "ur"
    left = await urdu.request("GET", "/v1/tasks", params={"status": "open"})
    assert len(left.json()["items"]) == 2

    again = await stream(urdu, "تمام کام حذف کر دو", conversation)
    confirm = named(again, "question")[0]["options"][0]["value"]
    done = await stream(urdu, confirm, conversation)
    assert [a["action"] for a in named(done, "action")] == ["deleted", "deleted"]
    left = await urdu.request("GET", "/v1/tasks", params={"status": "open"})
    assert left.json()["items"] == []


async def test_the_json_turn_carries_the_same_question(alice: User) -> None:
    r = await alice.request("POST", "/v1/chat", json={"message": "add a task for tomorrow"})
    assert r.status_code == 200
    body = r.json()
    assert body["awaiting_reply"] is True
    assert body["question"]["text"] == body["reply"]
    assert body["question"]["options"] == []  # a free answer: the title


async def test_a_client_that_leaves_mid_stream_does_not_lose_the_turn(alice: User) -> None:
    body = {"message": "add renew passport friday 10am"}
    async with alice.client.stream(
        "POST", "/v1/chat/stream", json=body, headers=alice.headers
    ) as r:
        async for line in r.aiter_lines():
            if line.startswith("event: progress"):
                break  # hang up as soon as the turn has begun
    # The turn goes on without the client: its task is made and the exchange remembered.
    messages: list[dict[str, Any]] = []
    for _ in range(200):
        [conversation] = (await alice.request("GET", "/v1/conversations")).json()
        r = await alice.request("GET", f"/v1/conversations/{conversation['id']}/messages")
        messages = r.json()
        if len(messages) == 2:
            break
        await asyncio.sleep(0.05)
    assert [m["role"] for m in messages] == ["user", "assistant"]
    found = await alice.request("GET", "/v1/tasks", params={"q": "passport"})
    assert [t["title"] for t in found.json()["items"]] == ["renew passport"]
