"""Writing events to the transactional outbox (the relay publishes them)."""

from __future__ import annotations

import uuid
from typing import Any

from domain.events import CloudEvent, EventType, Topic, new_event, task_subject
from domain.models import Status, Task
from domain.store.db import Db, connection
from domain.store.meta import Meta, reminder_schedule


class OutboxBatch:
    """The outbox rows of one change, written in the change's own transaction."""

    def __init__(self, owner_id: uuid.UUID, meta: Meta) -> None:
        self.owner_id = owner_id
        self.meta = meta
        self.rows: list[tuple[str, CloudEvent]] = []

    def add(self, topic: Topic, type_: EventType, task_id: uuid.UUID, data: dict[str, Any]) -> None:
        self.add_event(topic, type_, task_subject(task_id), data)

    def add_event(
        self,
        topic: Topic,
        type_: EventType,
        subject: str,
        data: dict[str, Any],
        event_id: str | None = None,
    ) -> None:
        event = new_event(
            type_,
            user_id=self.owner_id,
            subject=subject,
            data=data,
            correlation_id=self.meta.correlation_id,
            traceparent=self.meta.traceparent,
            source=self.meta.source,
            event_id=event_id,
        )
        self.rows.append((topic.value, event))

    def task_change(self, type_: EventType, task: Task, **extra: Any) -> None:
        data = {"task": task.model_dump(mode="json"), **extra}
        self.add(Topic.TASK_EVENTS, type_, task.id, data)
        self.add(Topic.TASK_UPDATES, type_, task.id, data)

    def reminders(self, before: Task | None, after: Task | None) -> None:
        old = reminder_schedule(before) if before and before.status is Status.OPEN else []
        new = reminder_schedule(after) if after and after.status is Status.OPEN else []
        # A rename keeps the moments but changes what the reminder says: schedule it again.
        renamed = (
            bool(new) and before is not None and after is not None and (before.title != after.title)
        )
        if old == new and not renamed:
            return
        task = after or before
        assert task is not None
        if new:
            data = {"task_id": str(task.id), "title": task.title, "reminders": new}
            if task.due is not None:
                data["due"] = task.due.isoformat()
            self.add(Topic.REMINDERS, EventType.REMINDER_SCHEDULED, task.id, data)
        else:
            data = {"task_id": str(task.id), "reminder_ids": [r["reminder_id"] for r in old]}
            self.add(Topic.REMINDERS, EventType.REMINDER_CANCELLED, task.id, data)

    def topics(self) -> list[str]:
        return [topic for topic, _ in self.rows]

    def payloads(self) -> list[str]:
        """The events as JSON text, serialized once by pydantic-core (cast to jsonb in SQL)."""
        return [event.model_dump_json(exclude_none=True) for _, event in self.rows]

    async def write(self, db: Db) -> None:
        if not self.rows:
            return
        await db.execute(
            "INSERT INTO app.outbox (topic, key, event)"
            " SELECT topic, $1, event::jsonb FROM unnest($2::text[], $3::text[])"
            " WITH ORDINALITY AS u(topic, event, n) ORDER BY n",
            str(self.owner_id),
            self.topics(),
            self.payloads(),
        )


class Outbox:
    """Events that are not a task change (e.g. the agent's decisions, consumer outcomes)."""

    def __init__(self, db: Db) -> None:
        self.db = db

    async def emit(
        self,
        owner_id: uuid.UUID,
        topic: Topic,
        type_: EventType,
        subject: str,
        data: dict[str, Any],
        meta: Meta = Meta(),
        *,
        event_id: str | None = None,
    ) -> CloudEvent:
        """Queue one event (in the caller's transaction when this outbox is on its connection);
        `event_id` makes a repeated emission the same event (consumers apply it once)."""
        batch = OutboxBatch(owner_id, meta)
        batch.add_event(topic, type_, subject, data, event_id)
        await batch.write(self.db)
        return batch.rows[0][1]

    async def updates_after(
        self, owner_id: uuid.UUID, event_id: str, *, limit: int
    ) -> list[str] | None:
        """The user's task-updates events committed after `event_id`, oldest first, as JSON.

        None when that event is not in the outbox (never, or past its retention) or more than
        `limit` followed it: either way the client must refetch rather than replay.
        """
        async with connection(self.db) as conn:
            # The topic is a literal, not a parameter: only then can a generic plan use the
            # partial index `outbox_task_updates` (0013).
            start = await conn.fetchval(
                "SELECT id FROM app.outbox"
                " WHERE key = $1 AND topic = 'task-updates' AND event->>'id' = $2",
                str(owner_id),
                event_id,
            )
            if start is None:
                return None
            # Committed is enough, published or not: the socket skips what its live feed
            # later brings again.
            rows = await conn.fetch(
                "SELECT event::text AS event FROM app.outbox"
                " WHERE key = $1 AND topic = 'task-updates' AND id > $2 ORDER BY id LIMIT $3",
                str(owner_id),
                start,
                limit + 1,
            )
        if len(rows) > limit:
            return None
        return [r["event"] for r in rows]
