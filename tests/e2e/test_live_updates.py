"""/v1/ws: each user gets their own task-updates only, needs a token, and resumes after a gap."""

from __future__ import annotations

import asyncio
import json

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from core.settings import Settings
from tests.conftest import User, serve_api


def _ws(api_url: str) -> str:
    return api_url.replace("http://", "ws://") + "/v1/ws"


async def _next_event(ws, *, timeout_s: float = 10.0) -> dict:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout_s))


async def _create(user: User, title: str) -> dict:
    r = await user.request("POST", "/v1/tasks", json={"title": title})
    assert r.status_code == 201, r.text
    return r.json()


async def test_each_user_sees_only_their_own_changes(
    alice: User, bob: User, api_url: str, relay
) -> None:
    async with (
        connect(f"{_ws(api_url)}?token={alice.token}") as alice_ws,
        connect(_ws(api_url), subprotocols=["bearer", bob.token]) as bob_ws,
    ):
        assert bob_ws.subprotocol == "bearer"
        mine = await _create(alice, "Alice's")
        theirs = await _create(bob, "Bob's")
        got_alice = await _next_event(alice_ws)
        got_bob = await _next_event(bob_ws)
    assert got_alice["type"] == "task.created"
    assert got_alice["data"]["task"]["id"] == mine["id"]
    assert got_bob["data"]["task"]["id"] == theirs["id"]  # not Alice's, which came first


async def test_reconnecting_with_the_last_event_id_replays_what_was_missed(
    alice: User, api_url: str, relay
) -> None:
    url = f"{_ws(api_url)}?token={alice.token}"
    async with connect(url) as ws:
        await _create(alice, "one")
        seen = await _next_event(ws)
    missed = [await _create(alice, "two"), await _create(alice, "three")]
    async with connect(f"{url}&last_event_id={seen['id']}") as ws:
        replayed = [await _next_event(ws), await _next_event(ws)]
        await _create(alice, "four")
        live = await _next_event(ws)
    assert [e["data"]["task"]["id"] for e in replayed] == [t["id"] for t in missed]
    assert live["data"]["task"]["title"] == "four"

    async with connect(f"{url}&last_event_id=never-seen") as ws:
        assert (await _next_event(ws))["type"] == "resync"


async def test_another_replica_replays_what_was_missed_from_the_outbox(
    alice: User, api_url: str, settings: Settings, relay
) -> None:
    """A client that reconnects to a replica which never saw its events (or to this one after
    a restart) still gets what it missed, in order, then the live feed."""
    async with connect(f"{_ws(api_url)}?token={alice.token}") as ws:
        await _create(alice, "seen")
        seen = await _next_event(ws)
        missed = [await _create(alice, "missed 1"), await _create(alice, "missed 2")]
    resume = f"?token={alice.token}&last_event_id={seen['id']}"
    async with serve_api(settings) as other, connect(f"{_ws(other)}{resume}") as ws:
        replayed = [await _next_event(ws), await _next_event(ws)]
        await _create(alice, "live")
        live = await _next_event(ws)
    assert [e["data"]["task"]["id"] for e in replayed] == [t["id"] for t in missed]
    assert live["data"]["task"]["title"] == "live"


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"query": "?token=not-a-jwt"},
        {"subprotocols": ["bearer", "not-a-jwt"]},
    ],
)
async def test_a_socket_needs_a_valid_token(api_url: str, kwargs: dict) -> None:
    url = _ws(api_url) + kwargs.pop("query", "")
    with pytest.raises(InvalidStatus) as refused:
        async with connect(url, **kwargs):
            pass
    assert refused.value.response.status_code == 403


async def test_a_bearer_header_works_too(alice: User, api_url: str, relay) -> None:
    async with connect(_ws(api_url), additional_headers=alice.headers) as ws:
        task = await _create(alice, "header auth")
        assert (await _next_event(ws))["data"]["task"]["id"] == task["id"]
