"""The Postgres checkpointer on its own psycopg pool (LangGraph's saver needs psycopg)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

_SETUP_LOCK = 7_242_003


@contextlib.asynccontextmanager
async def open_checkpointer(
    conninfo: str, *, max_size: int = 10
) -> AsyncIterator[AsyncPostgresSaver]:
    pool = AsyncConnectionPool(
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
        saver = AsyncPostgresSaver(pool)
        # Several API workers start at once; the saver's own migrations are not safe to run
        # concurrently (duplicate-key races), so one process migrates while the others wait.
        async with pool.connection() as conn:
            await conn.execute("SELECT pg_advisory_lock(%s)", (_SETUP_LOCK,))
            try:
                await saver.setup()
            finally:
                await conn.execute("SELECT pg_advisory_unlock(%s)", (_SETUP_LOCK,))
        yield saver
    finally:
        await pool.close()
