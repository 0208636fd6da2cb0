"""The AsyncAPI document is the truth about the topics: every event type a producer really
publishes, read back from the broker, validates against the message schema of its channel."""

from __future__ import annotations

import asyncio
import copy
import time
from datetime import UTC, datetime, timedelta

import httpx
import jsonschema
import pytest

from domain.events import EventType, Topic
from runtime.asyncapi import TOPICS, document
from runtime.embedded import free_port
from tests.conftest import User, register
from tests.e2e.conftest import events_of


@pytest.fixture(scope="module")
def spec() -> dict:
    return document()


def validator(spec: dict, topic: str) -> jsonschema.protocols.Validator:
    channel = spec["channels"][topic]
    (message,) = channel["messages"].values()
    name = message["$ref"].rsplit("/", 1)[1]
    payload = spec["components"]["messages"][name]["payload"]
    root = {**payload, "components": spec["components"]}
    return jsonschema.Draft202012Validator(root)


def test_the_document_is_asyncapi_3_with_the_four_topics_and_every_event_type(spec: dict) -> None:
    assert spec["asyncapi"] == "3.0.0"
    assert set(spec["channels"]) == {t.value for t in Topic}
    declared = {t for _, types in TOPICS.values() for t in types}
    assert declared == set(EventType)
    schemas = spec["components"]["schemas"]
    for topic in Topic:
        payload = schemas[f"{topic.value}:Message:Payload"]
        refs = [o["$ref"] for o in payload.get("oneOf", [payload])] if "oneOf" in payload else []
        assert len(refs) == len(TOPICS[topic][1]), topic
    envelope = schemas["TaskCreatedEvent"]
    assert {"specversion", "type", "subject", "userid", "data"} <= set(envelope["required"])
    assert envelope["properties"]["type"]["const"] == "task.created"


async def _set_channels(user: User, channels: list[str], webhook: str | None = None) -> None:
    body: dict = {"reminder_channels": channels}
    if webhook:
        body["webhook_url"] = webhook
    r = await user.request("PATCH", "/v1/auth/me", json=body)
    assert r.status_code == 200, r.text


def _at(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


async def test_real_events_of_every_type_match_their_channel_schema(
    spec: dict, http: httpx.AsyncClient, running_consumers, bootstrap: str
) -> None:
    happy, unlucky = await register(http, timezone="Asia/Karachi"), await register(http)
    await _set_channels(happy, ["in_app"])
    # Nobody listens on this port: the webhook fails after its retries, the in-app one fires.
    await _set_channels(unlucky, ["in_app", "webhook"], f"http://127.0.0.1:{free_port()}/hook")

    async def make(user: User, **body) -> dict:
        r = await user.request("POST", "/v1/tasks", json=body)
        assert r.status_code == 201, r.text
        return r.json()

    due = _at(3600)
    for user in (happy, unlucky):
        await make(user, title="ring", due=due, reminders=[{"at": _at(1.5)}])
    task = await make(happy, title="life cycle", notes="n", due=due, reminders=[{"at": _at(900)}])
    tid = task["id"]
    assert (await happy.request("PATCH", f"/v1/tasks/{tid}", json={"reminders": []})).is_success
    assert (await happy.request("POST", f"/v1/tasks/{tid}/complete")).is_success
    assert (await happy.request("POST", f"/v1/tasks/{tid}/reopen")).is_success
    assert (await happy.request("DELETE", f"/v1/tasks/{tid}")).is_success
    series = await make(happy, title="water plants", due=due, recurrence={"rrule": "FREQ=WEEKLY"})
    assert (await happy.request("POST", f"/v1/tasks/{series['id']}/complete")).is_success
    chat = await happy.request("POST", "/v1/chat", json={"message": "add buy milk tomorrow"})
    assert chat.status_code == 200

    wanted = {
        (happy, Topic.TASK_EVENTS): set(TOPICS[Topic.TASK_EVENTS][1]),
        (happy, Topic.REMINDERS): set(TOPICS[Topic.REMINDERS][1]),
        (happy, Topic.TASK_UPDATES): set(TOPICS[Topic.TASK_UPDATES][1]),
        (happy, Topic.AUDIT_EVENTS): {
            EventType.AGENT_DECISION, EventType.REMINDER_DELIVERED, EventType.RECURRING_GENERATED,
        },
        (unlucky, Topic.AUDIT_EVENTS): {EventType.REMINDER_FAILED},
    }  # fmt: skip
    checked: set[str] = set()
    for (user, topic), types in wanted.items():
        names = {t.value for t in types}
        events = await _until_all(bootstrap, topic, user.id, names)
        assert {e["type"] for e in events} == names, (topic, user.email)
        check = validator(spec, topic.value)
        for event in events:
            event.pop("_headers", None)
            errors = [e.message for e in check.iter_errors(event)]
            assert errors == [], (topic, event["type"], errors)
            checked.add(event["type"])
    assert checked == {t.value for t in EventType}

    # The schemas can fail: a payload that drifts from its model is caught.
    drifted = copy.deepcopy(events[0])
    drifted["data"]["surprise"] = 1
    assert not validator(spec, Topic.AUDIT_EVENTS.value).is_valid(drifted)
    mistyped = copy.deepcopy(drifted)
    mistyped["type"] = "task.exploded"
    assert not validator(spec, Topic.AUDIT_EVENTS.value).is_valid(mistyped)


async def _until_all(bootstrap: str, topic: Topic, user_id: str, names: set[str]) -> list[dict]:
    """The user's events of these types on the topic, once each type is there (or 20 s)."""
    deadline = time.monotonic() + 20
    while True:
        found = await events_of(
            bootstrap, topic, user_id=user_id, types=names, count=10_000, timeout_s=0
        )
        if {e["type"] for e in found} == names or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.3)
