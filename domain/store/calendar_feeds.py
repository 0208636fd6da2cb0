"""Calendar feeds: one secret per user, kept as a hash, and the tasks a feed shows.

The functions take a connection or a pool (both have the query methods), so a caller may run
them inside its own transaction.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from domain.models import Task
from domain.store.db import Db
from domain.store.tasks import _COLUMNS, _row_to_task

# A feed is read by calendar apps every few hours; bound what one read can cost.
MAX_FEED_TASKS = 5000


@dataclass(frozen=True, slots=True)
class Feed:
    created_at: datetime


def _hash(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


async def rotate(db: Db, user_id: uuid.UUID) -> tuple[str, Feed]:
    """A new secret for the user's feed (the old URL stops working at once)."""
    secret = secrets.token_urlsafe(32)
    created = await db.fetchval(
        "INSERT INTO app.calendar_feeds (user_id, secret_hash) VALUES ($1, $2)"
        " ON CONFLICT (user_id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash,"
        " created_at = now() RETURNING created_at",
        user_id,
        _hash(secret),
    )
    return secret, Feed(created)


async def current(db: Db, user_id: uuid.UUID) -> Feed | None:
    created = await db.fetchval(
        "SELECT created_at FROM app.calendar_feeds WHERE user_id = $1", user_id
    )
    return None if created is None else Feed(created)


async def revoke(db: Db, user_id: uuid.UUID) -> bool:
    status = await db.execute("DELETE FROM app.calendar_feeds WHERE user_id = $1", user_id)
    return status != "DELETE 0"


async def owner(db: Db, secret: str) -> uuid.UUID | None:
    """Whose feed this secret opens, if any."""
    return await db.fetchval(
        "SELECT user_id FROM app.calendar_feeds WHERE secret_hash = $1", _hash(secret)
    )


async def due_tasks(db: Db, user_id: uuid.UUID) -> list[Task]:
    """The user's open tasks that have a due time, soonest first."""
    rows = await db.fetch(
        f"SELECT {_COLUMNS} FROM app.tasks WHERE owner_id = $1 AND status = 'open'"
        f" AND due IS NOT NULL ORDER BY due, id LIMIT {MAX_FEED_TASKS}",
        user_id,
    )
    return [_row_to_task(r) for r in rows]
