"""What a store works on: a pool, or one connection (that may be inside the caller's transaction).

A store given a pool takes a connection per call and runs each change in its own transaction. A
store given a connection runs on it, so a caller can make a change, its events and its own rows one
unit of work: `async with transaction(pool) as conn: await TaskStore(conn).create(…)`. Changes then
nest as savepoints in the caller's transaction instead of committing on their own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TypeAlias

import asyncpg
from asyncpg.pool import PoolConnectionProxy

# A pool's connection is a proxy, not an `asyncpg.Connection`; both run the same queries.
Connection: TypeAlias = asyncpg.Connection | PoolConnectionProxy
Db: TypeAlias = asyncpg.Pool | Connection


@asynccontextmanager
async def connection(db: Db) -> AsyncIterator[Connection]:
    """One connection for several statements: the given one, or one borrowed from the pool."""
    if isinstance(db, asyncpg.Pool):
        async with db.acquire() as conn:
            yield conn
    else:
        yield db


@asynccontextmanager
async def transaction(db: Db) -> AsyncIterator[Connection]:
    """A transaction: its own on a pool's connection, a savepoint inside the caller's."""
    async with connection(db) as conn, conn.transaction():
        yield conn


@asynccontextmanager
async def atomic(db: Db) -> AsyncIterator[Db]:
    """Where one statement that may fail runs. On a pool it is atomic by itself (one round trip);
    on a connection, a failure would abort the caller's whole transaction, so it gets a savepoint
    and the caller can go on after catching the error."""
    if isinstance(db, asyncpg.Pool):
        yield db
    else:
        async with db.transaction():
            yield db
