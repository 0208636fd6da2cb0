"""The event ids a consumer has applied, recorded in the same transaction as the effect."""

from __future__ import annotations

import asyncpg

_TABLES = {"notification": "notification.applied_events", "recurring": "recurring.applied_events"}


async def first_delivery(conn: asyncpg.Connection, consumer: str, event_id: str) -> bool:
    """Record the event as applied; False when it was applied before (a redelivery).

    Call inside the transaction that applies the effect: a rollback forgets the record too.
    """
    table = _TABLES[consumer]
    inserted = await conn.fetchval(
        f"INSERT INTO {table} (event_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING true",
        event_id,
    )
    return bool(inserted)
