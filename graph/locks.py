"""One turn per conversation at a time, across processes.

Two API replicas serving one conversation must not run its turns at once: both would start from
the same checkpoint and the later write would drop the other's turn. An asyncio lock orders the
turns within a process; a Postgres session advisory lock, held for the turn on a connection of
its own pool, orders them across processes. The lock pool is separate from the stores' pool so
that turns waiting for a lock never starve the turns holding one of the connections they need.
A crashed holder's session ends and Postgres releases its lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import asyncpg

# The advisory lock's first key: a namespace, so conversation locks meet no other lock.
_NAMESPACE = 7_242_010


def _key(conversation_id: uuid.UUID) -> int:
    """A signed 32-bit key from the id; two conversations sharing one only take turns."""
    return int.from_bytes(conversation_id.bytes[:4], "big", signed=True)


class ConversationLocks:
    def __init__(self, pool: asyncpg.Pool | None = None) -> None:
        self.pool = pool  # None: this process is the only one serving its conversations
        self._local: dict[uuid.UUID, asyncio.Lock] = {}

    @classmethod
    async def open(cls, dsn: str, *, max_size: int = 32) -> ConversationLocks:
        # Session locks are state on the connection: asyncpg's reset on release (which runs
        # pg_advisory_unlock_all) stays on, so a connection never goes back to the pool locked.
        return cls(await asyncpg.create_pool(dsn, min_size=1, max_size=max_size))

    async def close(self) -> None:
        if self.pool is not None:
            await self.pool.close()

    def _lock(self, conversation_id: uuid.UUID) -> asyncio.Lock:
        if len(self._local) > 10_000:
            self._local = {k: v for k, v in self._local.items() if v.locked()}
        return self._local.setdefault(conversation_id, asyncio.Lock())

    def forget(self, conversation_id: uuid.UUID) -> None:
        self._local.pop(conversation_id, None)

    @contextlib.asynccontextmanager
    async def hold(self, conversation_id: uuid.UUID) -> AsyncIterator[None]:
        async with self._lock(conversation_id):
            if self.pool is None:
                yield
                return
            key = _key(conversation_id)
            async with self.pool.acquire() as conn:
                await conn.execute("SELECT pg_advisory_lock($1, $2)", _NAMESPACE, key)
                try:
                    yield
                finally:
                    await conn.execute("SELECT pg_advisory_unlock($1, $2)", _NAMESPACE, key)
