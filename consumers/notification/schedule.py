"""The reminder schedule in Postgres: applying reminder events, claiming due rows, finishing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from consumers.common.dead_letter import PoisonMessage
from domain.events import CloudEvent, EventType

CHANNEL = "notification_schedule"


@dataclass(frozen=True, slots=True)
class DueReminder:
    reminder_id: uuid.UUID
    user_id: uuid.UUID
    task_id: uuid.UUID
    title: str
    due: datetime | None
    fire_at: datetime
    correlation_id: str | None
    lease: datetime  # the claim's expiry; finishing requires the claim to still be ours


async def apply_event(conn: asyncpg.Connection, event: CloudEvent) -> None:
    """reminder.scheduled carries the task's whole schedule and replaces the previous one."""
    data = event.data
    try:
        task_id = uuid.UUID(data["task_id"])
        user_id = uuid.UUID(event.userid)
    except (KeyError, ValueError, TypeError) as exc:
        raise PoisonMessage(f"{event.type} without a valid task_id/userid") from exc
    if event.type == EventType.REMINDER_CANCELLED:
        await conn.execute(
            "UPDATE notification.schedule SET state = 'cancelled', finished_at = now()"
            " WHERE task_id = $1 AND user_id = $2 AND state = 'pending'",
            task_id,
            user_id,
        )
        return
    if event.type != EventType.REMINDER_SCHEDULED:
        return
    reminders = _parse_reminders(data)
    ids = [r[0] for r in reminders]
    await conn.execute(
        "UPDATE notification.schedule SET state = 'cancelled', finished_at = now()"
        " WHERE task_id = $1 AND user_id = $2 AND state = 'pending'"
        " AND NOT (reminder_id = ANY($3::uuid[]))",
        task_id,
        user_id,
        ids,
    )
    due = datetime.fromisoformat(data["due"]) if data.get("due") else None
    # A reminder that was already sent stays sent. One cancelled earlier (the task was done, or
    # its due moved) comes back only if its time was still ahead when the user made the change:
    # reopening a task must not fire the reminders it skipped while it was done. The event's
    # time, not now(), decides, so a broker delay cannot drop a reminder that was still ahead.
    # A reminder never seen before is scheduled whatever its time (it fires late, not never).
    await conn.execute(
        """
        INSERT INTO notification.schedule
            (reminder_id, user_id, task_id, title, due, fire_at, correlation_id)
        SELECT r.id, $2, $3, $4, $5, r.fire_at, $6
        FROM unnest($1::uuid[], $7::timestamptz[]) AS r (id, fire_at)
        ON CONFLICT (reminder_id) DO UPDATE SET
            title = excluded.title,
            due = excluded.due,
            correlation_id = excluded.correlation_id,
            state = CASE WHEN schedule.state = 'cancelled' AND schedule.fire_at > $8 THEN 'pending'
                         ELSE schedule.state END,
            finished_at = CASE WHEN schedule.state = 'cancelled' AND schedule.fire_at > $8
                               THEN NULL ELSE schedule.finished_at END
        WHERE schedule.user_id = excluded.user_id
        """,
        ids,
        user_id,
        task_id,
        str(data.get("title") or ""),
        due,
        event.correlationid,
        [r[1] for r in reminders],
        event.time,
    )


def _parse_reminders(data: dict[str, Any]) -> list[tuple[uuid.UUID, datetime]]:
    try:
        return [
            (uuid.UUID(r["reminder_id"]), datetime.fromisoformat(r["fire_at"]))
            for r in data.get("reminders", [])
        ]
    except (KeyError, ValueError, TypeError) as exc:
        raise PoisonMessage(f"reminder.scheduled with an invalid reminder: {exc}") from exc


async def claim_due(pool: asyncpg.Pool, limit: int, lease_s: float) -> list[DueReminder]:
    """Take up to `limit` due reminders for this replica; SKIP LOCKED keeps replicas apart."""
    rows = await pool.fetch(
        """
        UPDATE notification.schedule s
        SET claimed_until = clock_timestamp() + make_interval(secs => $2),
            attempts = s.attempts + 1
        FROM (
            SELECT reminder_id FROM notification.schedule
            WHERE state = 'pending' AND fire_at <= clock_timestamp()
              AND (claimed_until IS NULL OR claimed_until < clock_timestamp())
            ORDER BY fire_at
            LIMIT $1
            FOR UPDATE SKIP LOCKED
        ) due
        WHERE s.reminder_id = due.reminder_id
        RETURNING s.reminder_id, s.user_id, s.task_id, s.title, s.due, s.fire_at,
                  s.correlation_id, s.claimed_until
        """,
        limit,
        lease_s,
    )
    return [
        DueReminder(
            r["reminder_id"],
            r["user_id"],
            r["task_id"],
            r["title"],
            r["due"],
            r["fire_at"],
            r["correlation_id"],
            r["claimed_until"],
        )
        for r in sorted(rows, key=lambda r: r["fire_at"])
    ]


async def seconds_until_next(pool: asyncpg.Pool) -> float | None:
    """How long until a pending reminder is due (or a lapsed claim can be retried)."""
    value = await pool.fetchval(
        """
        SELECT extract(epoch FROM min(
                   CASE WHEN claimed_until IS NULL OR claimed_until < fire_at THEN fire_at
                        ELSE claimed_until END) - clock_timestamp())
        FROM notification.schedule WHERE state = 'pending'
        """
    )
    return None if value is None else float(value)


async def finish(
    conn: asyncpg.Connection, reminder: DueReminder, *, delivered: bool, error: str | None
) -> bool:
    """Mark the reminder done; False if the claim lapsed or it was cancelled meanwhile."""
    result = await conn.execute(
        "UPDATE notification.schedule SET state = $2, finished_at = now(), last_error = $3"
        " WHERE reminder_id = $1 AND state = 'pending' AND claimed_until = $4",
        reminder.reminder_id,
        "delivered" if delivered else "failed",
        error,
        reminder.lease,
    )
    return result.endswith(" 1")
