"""The relay's Dapr path against a local stand-in speaking the sidecar's HTTP publish API
(`POST /v1.0/publish/{pubsub}/{topic}`): the sidecar itself cannot run here.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import asyncpg
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.models import TaskCreate
from domain.store import Meta, TaskStore, UserStore
from runtime.embedded import free_port
from transport.publishers import DaprPublisher
from transport.relay import OutboxRelay

pytestmark = pytest.mark.contract


@dataclass
class Sidecar:
    """Records what it was sent; `failing` makes it answer as a sidecar whose broker is down."""

    received: list[dict] = field(default_factory=list)
    failing: bool = False
    url: str = ""

    async def publish(self, request: Request) -> Response:
        if self.failing:
            return Response('{"errorCode":"ERR_PUBSUB_PUBLISH_MESSAGE"}', status_code=500)
        self.received.append({
            "pubsub": request.path_params["pubsub"],
            "topic": request.path_params["topic"],
            "content_type": request.headers.get("content-type"),
            "partition_key": request.query_params.get("metadata.partitionKey"),
            "event": json.loads(await request.body()),
        })  # fmt: skip
        return Response(status_code=204)

    async def healthz(self, _: Request) -> Response:
        return Response(status_code=204)


@pytest.fixture
async def sidecar() -> AsyncIterator[Sidecar]:
    fake = Sidecar()
    app = Starlette(routes=[
        Route("/v1.0/publish/{pubsub}/{topic}", fake.publish, methods=["POST"]),
        Route("/v1.0/healthz/outbound", fake.healthz),
    ])  # fmt: skip
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_config=None, access_log=False))
    server.install_signal_handlers = lambda: None
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    fake.url = f"http://127.0.0.1:{port}"
    yield fake
    server.should_exit = True
    await task


async def wait_for(condition, timeout_s: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not condition() and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.05)


async def test_relay_publishes_cloudevents_through_the_sidecar(
    own_database: asyncpg.Pool, sidecar: Sidecar
) -> None:
    pool = own_database
    publisher = DaprPublisher(sidecar.url, "pubsub")
    assert await publisher.ping()
    relay = OutboxRelay(pool, publisher, safety_poll_s=0.5, max_backoff_s=0.2)
    running = asyncio.create_task(relay.run())
    users, tasks = UserStore(pool), TaskStore(pool)
    alice = await users.create(f"{uuid.uuid4().hex[:8]}@example.com", "x")
    bob = await users.create(f"{uuid.uuid4().hex[:8]}@example.com", "x")
    try:
        for i in range(3):
            await tasks.create(alice.id, TaskCreate(title=f"a{i}"), Meta(correlation_id="c-1"))
            await tasks.create(bob.id, TaskCreate(title=f"b{i}"), Meta())
        await wait_for(lambda: len(sidecar.received) == 12)

        sidecar.failing = True  # the sidecar cannot reach its broker: nothing is marked sent
        await tasks.create(alice.id, TaskCreate(title="during outage"), Meta())
        await asyncio.sleep(1.0)
        assert await relay.backlog() == 2
        sidecar.failing = False
        await wait_for(lambda: len(sidecar.received) == 14)
        # The sidecar has them; the relay marks them sent right after its answer.
        deadline = asyncio.get_running_loop().time() + 5
        while await relay.backlog() and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)
        assert await relay.backlog() == 0
    finally:
        await relay.stop()
        await running
        await publisher.stop()

    sent = sidecar.received
    assert {m["pubsub"] for m in sent} == {"pubsub"}
    assert {m["content_type"] for m in sent} == {"application/cloudevents+json"}
    for user, prefix in ((alice, "a"), (bob, "b")):
        mine = [
            m for m in sent if m["topic"] == "task-events" and m["partition_key"] == str(user.id)
        ]
        assert [m["event"]["data"]["task"]["title"] for m in mine][:3] == [
            f"{prefix}{i}" for i in range(3)
        ]
        assert all(m["event"]["userid"] == str(user.id) for m in mine)
    first = next(m["event"] for m in sent if m["partition_key"] == str(alice.id))
    assert first["specversion"] == "1.0"
    assert first["type"] == "task.created"
    assert first["correlationid"] == "c-1"
    assert sent[-1]["event"]["data"]["task"]["title"] == "during outage"
