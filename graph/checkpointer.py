"""The Postgres checkpointer on its own psycopg pool (LangGraph's saver needs psycopg)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool


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
        await saver.setup()
        yield saver
    finally:
        await pool.close()
