"""The relay's cursor: an open writing transaction holds events back, never loses them."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence

import asyncpg

from domain.models import TaskCreate
from domain.store import Meta, TaskStore, UserStore
from transport.publishers import OutboundMessage
from transport.relay import OutboxRelay


class Recorder:
    def __init__(self) -> None:
        self.messages: list[OutboundMessage] = []

    async def publish_batch(self, messages: Sequence[OutboundMessage]) -> None:
        self.messages.extend(messages)


async def _until(check: object, timeout_s: float) -> bool:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not check():  # type: ignore[operator]
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def test_an_open_writing_transaction_delays_events_without_losing_them(
    own_database: asyncpg.Pool,
) -> None:
    pool = own_database
    recorder = Recorder()
    # A long safety poll: only the held-back polling can bring the event in time.
    relay = OutboxRelay(pool, recorder, safety_poll_s=30)  # type: ignore[arg-type]
    running = asyncio.create_task(relay.run())
    user = await UserStore(pool).create(f"{uuid.uuid4().hex[:8]}@example.com", "x")
    tasks = TaskStore(pool)
    try:
        await tasks.create(user.id, TaskCreate(title="first"), Meta())
        assert await _until(lambda: len(recorder.messages) == 2, 5)

        async with pool.acquire() as blocker:
            tx = blocker.transaction()
            await tx.start()
            await blocker.fetchval("SELECT pg_current_xact_id()")  # holds a transaction id
            await tasks.create(user.id, TaskCreate(title="second"), Meta())
            await asyncio.sleep(0.5)
            assert len(recorder.messages) == 2  # committed, but behind the open transaction
            assert await relay.backlog() == 2
            await tx.rollback()  # writes nothing to the outbox: no notification
        assert await _until(lambda: len(recorder.messages) == 4, 5)
        assert await relay.backlog() == 0
        assert [m.topic for m in recorder.messages] == ["task-events", "task-updates"] * 2
    finally:
        await relay.stop()
        await running
