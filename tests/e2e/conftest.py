"""The three consumers running in-process against the session's Postgres and broker, an SMTP
server on loopback that keeps what it receives, and helpers to wait for outcomes.

Consumers use a consumer-group prefix of their own, so they read the topics from the start
whatever ran before, and short group timeouts, so a restarted member rejoins in seconds.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any, TypeVar

import asyncpg
import pytest
from aiosmtpd.controller import Controller

from consumers.apps import APPS
from consumers.common.runtime import ConsumerService
from consumers.common.settings import ConsumerSettings
from core.settings import Settings
from domain.store import create_pool, migrate
from runtime.embedded import free_port
from tests.conftest import _with_database
from transport.relay import OutboxRelay

T = TypeVar("T")


@dataclass
class Mailbox:
    """What the SMTP server received, with the time each message arrived."""

    messages: list[tuple[float, Message]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((time.time(), message_from_bytes(envelope.content)))
        return "250 OK"

    def for_reminder(self, reminder_id: str) -> list[tuple[float, Message]]:
        return [(t, m) for t, m in self.messages if m["X-Todo-Reminder-Id"] == reminder_id]

    def to(self, address: str) -> list[Message]:
        return [m for _, m in self.messages if m["To"] == address]


@pytest.fixture(scope="session")
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port  # type: ignore[attr-defined]
    try:
        yield box
    finally:
        controller.stop()


def consumer_settings(**overrides: Any) -> ConsumerSettings:
    values: dict[str, Any] = {
        "group_prefix": f"e2e-{uuid.uuid4().hex[:8]}-",
        "session_timeout_ms": 1500,
        "heartbeat_interval_ms": 300,
        "backoff_s": 0.05,
        "delivery_backoff_s": 0.05,
        "webhook_allow_private_networks": True,  # the test's webhook listens on loopback
        "_env_file": None,
        **overrides,
    }
    return ConsumerSettings(**values)


@pytest.fixture
async def own_database(postgres_server: str) -> AsyncIterator[tuple[str, asyncpg.Pool]]:
    """A migrated database of its own (URL and pool), for tests that must be its only writer."""
    name = f"e2e_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(postgres_server)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    url = _with_database(postgres_server, name)
    pool = await create_pool(url, min_size=1, max_size=4)
    async with pool.acquire() as conn:
        await migrate(conn)
    yield url, pool
    await pool.close()


@pytest.fixture(scope="package")
def e2e_settings(settings: Settings, mailbox: Mailbox) -> Settings:
    return settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": mailbox.port}  # type: ignore[attr-defined]
    )


@pytest.fixture(scope="package")
async def running_consumers(
    e2e_settings: Settings, relay: OutboxRelay, api_url: str
) -> AsyncIterator[dict[str, ConsumerService]]:
    """notification, recurring and audit, each with its own /health port, started together."""
    cfg = consumer_settings()
    services = {
        name: ConsumerService(
            factory(), e2e_settings.model_copy(update={"http_port": free_port()}), cfg
        )
        for name, factory in APPS.items()
    }
    await asyncio.gather(*(s.start() for s in services.values()))
    yield services
    await asyncio.gather(*(s.stop() for s in services.values()))


async def eventually(
    probe: Callable[[], Awaitable[T]],
    *,
    timeout_s: float = 15.0,
    every_s: float = 0.05,
    what: str = "the condition",
) -> T:
    """Poll until `probe` returns something truthy; fail with `what` otherwise."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = await probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")
        await asyncio.sleep(every_s)


async def events_of(
    bootstrap: str,
    topic: str,
    *,
    user_id: str,
    types: set[str],
    count: int,
    timeout_s: float = 15.0,
) -> list[dict[str, Any]]:
    """The user's events of the given types on a topic, once there are `count` of them."""
    from tests.kafka_helpers import collect

    deadline = time.monotonic() + timeout_s
    while True:
        found = [
            e
            for e in await collect(bootstrap, topic, user_id=user_id, count=10_000, timeout_s=0.5)
            if e["type"] in types
        ]
        if len(found) >= count or time.monotonic() > deadline:
            return found
