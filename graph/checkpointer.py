"""The Postgres checkpointer on its own psycopg pool (LangGraph's saver needs psycopg)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from psycopg import AsyncConnection
from psycopg.rows import DictRow, dict_row
from psycopg_pool import AsyncConnectionPool

_SETUP_LOCK = 7_242_003


class PooledPostgresSaver(AsyncPostgresSaver):
    """The stock saver serialises every cursor behind one lock, even when it draws them from a
    pool (langgraph #7259), so concurrent conversations queue on one connection. With a pool,
    each cursor has a connection of its own: bounding concurrency by the pool size is enough.
    Measured in bench/bench_chat.py (in process, durability=exit).
    """

    def __init__(self, pool: AsyncConnectionPool[AsyncConnection[DictRow]], max_size: int) -> None:
        super().__init__(pool)
        self.lock = asyncio.Semaphore(max_size)  # type: ignore[assignment]


@contextlib.asynccontextmanager
async def open_checkpointer(
    conninfo: str, *, max_size: int = 10
) -> AsyncIterator[AsyncPostgresSaver]:
    pool: AsyncConnectionPool[AsyncConnection[DictRow]] = AsyncConnectionPool(
        conninfo,
        min_size=2,
        max_size=max_size,
        max_idle=300,
        max_lifetime=3600,
        # setup() runs CREATE INDEX CONCURRENTLY, which refuses to run in a transaction;
        # prepared statements break behind transaction-pooling proxies (pgbouncer).
        kwargs={"autocommit": True, "prepare_threshold": None, "row_factory": dict_row},
        open=False,
    )
    await pool.open()
    try:
        saver = PooledPostgresSaver(pool, max_size)
        # Several API workers start at once; the saver's own migrations are not safe to run
        # concurrently (duplicate-key races), so one process migrates while the others wait.
        # They wait by polling: a session blocked in pg_advisory_lock() counts as an open
        # transaction, which the saver's CREATE INDEX CONCURRENTLY would wait for: a deadlock.
        async with pool.connection() as conn:
            await _poll_lock(conn)
            try:
                await saver.setup()
            finally:
                await conn.execute("SELECT pg_advisory_unlock(%s)", (_SETUP_LOCK,))
        yield saver
    finally:
        await pool.close()


async def _poll_lock(conn: AsyncConnection[DictRow]) -> None:
    while True:
        row = await (
            await conn.execute("SELECT pg_try_advisory_lock(%s) AS ok", (_SETUP_LOCK,))
        ).fetchone()
        if row and row["ok"]:
            return
        await asyncio.sleep(0.1)  # the lock is held by another process
