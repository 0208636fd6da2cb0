"""Stores on one connection join the caller's transaction: a change, its outbox events and the
caller's own rows commit or roll back together, with no pool in disguise."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest
from pydantic import ValidationError

from domain.events import EventType, Topic
from domain.models import TaskCreate
from domain.store import Meta, Outbox, TaskStore, UserStore, transaction
from domain.validation import first_error


async def _owner(pool: asyncpg.Pool) -> uuid.UUID:
    user = await UserStore(pool).create(f"uow-{uuid.uuid4().hex[:10]}@example.com", "x")
    return user.id


async def _counts(pool: asyncpg.Pool, owner: uuid.UUID) -> tuple[int, int]:
    tasks = await pool.fetchval("SELECT count(*) FROM app.tasks WHERE owner_id = $1", owner)
    events = await pool.fetchval("SELECT count(*) FROM app.outbox WHERE key = $1", str(owner))
    return tasks, events


class _Abort(Exception):
    pass


async def test_a_rolled_back_unit_leaves_no_task_and_no_event(pool: asyncpg.Pool) -> None:
    owner = await _owner(pool)

    async def unit() -> None:
        async with transaction(pool) as conn:
            task = await TaskStore(conn).create(owner, TaskCreate(title="inside"))
            await TaskStore(conn).complete(owner, task.id)
            await Outbox(conn).emit(owner, Topic.AUDIT_EVENTS, EventType.AGENT_DECISION,
                                    f"task/{task.id}", {"why": "test"})  # fmt: skip
            assert await _counts(pool, owner) == (0, 0)  # nothing visible before the commit
            raise _Abort

    with pytest.raises(_Abort):
        await unit()
    assert await _counts(pool, owner) == (0, 0)


async def test_a_committed_unit_lands_whole(pool: asyncpg.Pool) -> None:
    owner = await _owner(pool)
    async with transaction(pool) as conn:
        task = await TaskStore(conn).create(owner, TaskCreate(title="inside"))
        await TaskStore(conn).complete(owner, task.id)
    tasks, events = await _counts(pool, owner)
    # created and completed: each on task-events and task-updates
    assert (tasks, events) == (1, 4)


async def test_a_refused_statement_does_not_poison_the_callers_transaction(
    pool: asyncpg.Pool,
) -> None:
    """Two creations race on one Idempotency-Key: the loser's INSERT waits for the winner, then
    meets a unique violation. On a connection that statement runs in a savepoint, so the loser
    answers with the winner's task and its own transaction goes on and commits."""
    owner = await _owner(pool)
    meta = Meta(idempotency_key=f"k-{uuid.uuid4().hex}")
    async with pool.acquire() as winner_conn:
        winner_tx = winner_conn.transaction()
        await winner_tx.start()
        first = await TaskStore(winner_conn).create(owner, TaskCreate(title="once"), meta)

        async def loser() -> uuid.UUID:
            async with transaction(pool) as conn:
                again = await TaskStore(conn).create(owner, TaskCreate(title="once"), meta)
                await TaskStore(conn).create(owner, TaskCreate(title="after"))
                return again.id

        racing = asyncio.create_task(loser())
        await asyncio.sleep(0.3)  # the loser is now blocked on the winner's key
        assert not racing.done()
        await winner_tx.commit()
        assert await racing == first.id
    assert (await _counts(pool, owner))[0] == 2


def test_one_sentence_for_a_validation_error() -> None:
    with pytest.raises(ValidationError) as info:
        TaskCreate(title="")
    assert first_error(info.value).startswith("title: ")
    assert "Value error" not in first_error(info.value)
