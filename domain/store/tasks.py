"""Tasks on asyncpg. Every statement is scoped by the owner; every change writes its events to the
outbox in the same transaction as the row, so a change and its events exist together or not at all.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg

from domain.events import EventType
from domain.models import (
    Recurrence,
    Reminder,
    Status,
    Task,
    TaskCreate,
    TaskFilter,
    TaskPatch,
    utc_instant,
)
from domain.store import cursor as cursor_codec
from domain.store.db import Connection, Db, atomic, transaction
from domain.store.errors import (
    IdempotencyKeyInFlight,
    IdempotencyKeyReused,
    InvalidChange,
    NotFound,
    VersionConflict,
)
from domain.store.meta import Meta
from domain.store.outbox import OutboxBatch
from domain.validation import first_error

_COLUMNS = (
    "id, owner_id, title, notes, status, priority, tags, due, all_day, reminders, rrule,"
    " series_id, occurrence, created_at, updated_at, completed_at, version"
)
_CREATE_SQL = """
WITH t AS (
    INSERT INTO app.tasks (id, owner_id, title, notes, priority, tags, due, all_day,
        reminders, rrule, series_id, occurrence, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
    ON CONFLICT (id) DO NOTHING
    RETURNING id
), o AS (
    INSERT INTO app.outbox (topic, key, event)
    SELECT u.topic, $14, u.event::jsonb
    FROM unnest($15::text[], $16::text[]) WITH ORDINALITY AS u(topic, event, n)
    WHERE EXISTS (SELECT 1 FROM t)
    ORDER BY u.n
), k AS (
    INSERT INTO app.idempotency_keys (owner_id, key, result, request)
    SELECT $2, $17, $18, $19 WHERE $17::text IS NOT NULL AND EXISTS (SELECT 1 FROM t)
)
SELECT count(*) FROM t
"""


_WORD = re.compile(r"\w+")
# Inside TaskStore `list` names its method, so its annotations use these.
TaskList = list[Task]
IdList = list[uuid.UUID]
RecordList = list[asyncpg.Record]
_SEARCH_WORDS_SQL = f"""
SELECT {_COLUMNS} FROM app.tasks
WHERE owner_id = $1 AND ($2::text IS NULL OR status = $2)
  AND to_tsvector('simple', title) @@ to_tsquery('simple', $3)
ORDER BY similarity(title, $4) DESC, created_at DESC
LIMIT $5
"""
_SEARCH_TRIGRAMS_SQL = f"""
SELECT {_COLUMNS} FROM app.tasks
WHERE owner_id = $1 AND ($2::text IS NULL OR status = $2)
  AND ($3 % title OR $3 <% title OR $3 %> title OR title ILIKE $4)
ORDER BY greatest(similarity($3, title), word_similarity($3, title), word_similarity(title, $3))
  DESC, created_at DESC
LIMIT $5
"""

# What an idempotency key was used for: the event the change emits, and the task it changed.
_CREATE_REQUEST = EventType.TASK_CREATED.value


def _request(event_type: EventType, task_id: uuid.UUID) -> str:
    return f"{event_type.value} {task_id}"


@dataclass(frozen=True, slots=True)
class Page:
    items: list[Task]
    next_cursor: str | None


def _row_to_task(row: asyncpg.Record) -> Task:
    rrule = row["rrule"]
    return Task(
        id=row["id"],
        owner_id=row["owner_id"],
        title=row["title"],
        notes=row["notes"],
        status=Status(row["status"]),
        priority=row["priority"],
        tags=list(row["tags"]),
        due=row["due"],
        all_day=row["all_day"],
        reminders=[Reminder.model_validate(r) for r in row["reminders"]],
        recurrence=None
        if rrule is None
        # Stored rules were validated on the way in; checking again (a bounded scan for a first
        # occurrence) on every read would cost each list that much per recurring task.
        else Recurrence.model_construct(
            rrule=rrule, series_id=row["series_id"], occurrence=row["occurrence"]
        ),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        completed_at=row["completed_at"],
        version=row["version"],
    )


def _encode_cursor(task: Task) -> str:
    return cursor_codec.encode("tasks", task.created_at.isoformat(), str(task.id))


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    created, task_id = cursor_codec.decode("tasks", cursor, 2)
    try:
        # Only instants this API could have handed out: aware and in range, so a crafted
        # cursor cannot overflow on its way to Postgres.
        return utc_instant(datetime.fromisoformat(created)), uuid.UUID(task_id)
    except ValueError as exc:
        raise cursor_codec.refused() from exc


class TaskStore:
    def __init__(self, db: Db) -> None:
        self.db = db

    # -- reads ---------------------------------------------------------------------------------

    async def get(self, owner_id: uuid.UUID, task_id: uuid.UUID) -> Task:
        row = await self.db.fetchrow(
            f"SELECT {_COLUMNS} FROM app.tasks WHERE id = $1 AND owner_id = $2", task_id, owner_id
        )
        if row is None:
            raise NotFound(f"there is no task {task_id}")
        return _row_to_task(row)

    async def list(
        self,
        owner_id: uuid.UUID,
        flt: TaskFilter | None = None,
        *,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page:
        flt = flt or TaskFilter()
        where = ["owner_id = $1"]
        args: list[Any] = [owner_id]

        def arg(value: Any) -> str:
            args.append(value)
            return f"${len(args)}"

        if flt.status is not None:
            where.append(f"status = {arg(flt.status.value)}")
        if flt.tag is not None:
            where.append(f"tags @> ARRAY[{arg(flt.tag.lower().lstrip('#'))}]::text[]")
        if flt.priority is not None:
            where.append(f"priority = {arg(flt.priority)}")
        if flt.due_from is not None:
            where.append(f"due >= {arg(flt.due_from)}")
        if flt.due_to is not None:
            where.append(f"due < {arg(flt.due_to)}")
        if flt.text:
            pattern = "%" + flt.text.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
            pattern += "%"
            p = arg(pattern)
            where.append(f"(title ILIKE {p} OR coalesce(notes, '') ILIKE {p})")
        if cursor is not None:
            created, task_id = _decode_cursor(cursor)
            where.append(f"(created_at, id) < ({arg(created)}, {arg(task_id)})")
        sql = (
            f"SELECT {_COLUMNS} FROM app.tasks WHERE {' AND '.join(where)}"
            f" ORDER BY created_at DESC, id DESC LIMIT {arg(limit + 1)}"
        )
        rows = await self.db.fetch(sql, *args)
        items = [_row_to_task(r) for r in rows[:limit]]
        next_cursor = _encode_cursor(items[-1]) if len(rows) > limit else None
        return Page(items=items, next_cursor=next_cursor)

    async def search(
        self, owner_id: uuid.UUID, text: str, *, status: Status | None = None, limit: int = 20
    ) -> TaskList:
        """The owner's tasks whose title best matches `text`, best first, at most `limit`: the
        candidates of a reference. Titles with all its words, else with any of them, come from
        the owner-scoped full-text index; when none has (a typo, a script the text parser does
        not split), the trigram index finds similar titles. Only the candidates are ranked (by
        trigram similarity), so the cost follows the matches, not the size of the list."""
        state = status.value if status is not None else None
        # A word of three letters or more also matches as a beginning ("dent" → "dentist");
        # shorter ones and numbers only as themselves, or "5" would match every "5…".
        terms = [w + ":*" if len(w) > 2 and not w.isdigit() else w
                 for w in _WORD.findall(text.casefold())[:8]]  # fmt: skip
        rows: RecordList = []
        # Every word first (a handful of titles), then any word; \w+ needs no escaping.
        for joiner in (" & ", " | ") if terms else ():
            query = joiner.join(terms)
            rows = await self.db.fetch(_SEARCH_WORDS_SQL, owner_id, state, query, text, limit)
            if rows or len(terms) == 1:
                break
        if not rows:
            pattern = "%" + text.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
            rows = await self.db.fetch(
                _SEARCH_TRIGRAMS_SQL, owner_id, state, text, pattern + "%", limit
            )
        return [_row_to_task(r) for r in rows]

    async def ids(
        self, owner_id: uuid.UUID, *, status: Status | None = None, limit: int = 5_000
    ) -> IdList:
        """The ids of the owner's tasks (of a status), oldest first: what a bulk change covers."""
        rows = await self.db.fetch(
            "SELECT id FROM app.tasks WHERE owner_id = $1 AND ($2::text IS NULL OR status = $2)"
            " ORDER BY created_at, id LIMIT $3",
            owner_id,
            status.value if status is not None else None,
            limit,
        )
        return [r["id"] for r in rows]

    # -- writes --------------------------------------------------------------------------------

    async def create(
        self,
        owner_id: uuid.UUID,
        data: TaskCreate,
        meta: Meta = Meta(),
        *,
        task_id: uuid.UUID | None = None,
    ) -> Task:
        """Create a task. A given `task_id` makes the call idempotent: a second call returns
        the existing task instead of creating another (used for recurring instances)."""
        if (replay := await self._replayed(self.db, owner_id, meta, _CREATE_REQUEST)) is not None:
            return replay
        now = datetime.now(UTC)
        new_id = task_id or uuid.uuid4()
        recurrence = data.recurrence
        if recurrence is not None and recurrence.series_id is None:
            recurrence = recurrence.model_copy(update={"series_id": new_id})
        task = Task(
            id=new_id,
            owner_id=owner_id,
            title=data.title,
            notes=data.notes,
            status=Status.OPEN,
            priority=data.priority,
            tags=data.tags,
            due=data.due,
            all_day=data.all_day,
            reminders=data.reminders,
            recurrence=recurrence,
            created_at=now,
            updated_at=now,
            completed_at=None,
            version=1,
        )
        events = OutboxBatch(owner_id, meta)
        events.task_change(EventType.TASK_CREATED, task)
        events.reminders(None, task)
        # One statement is one transaction and one round trip: the row, its events and the
        # idempotency record land together or not at all. This is the API's hottest write.
        try:
            async with atomic(self.db) as db:
                created = await db.fetchval(
                    _CREATE_SQL,
                    new_id,
                    owner_id,
                    data.title,
                    data.notes,
                    data.priority,
                    data.tags,
                    data.due,
                    data.all_day,
                    [r.model_dump(mode="json") for r in data.reminders],
                    recurrence.rrule if recurrence else None,
                    recurrence.series_id if recurrence else None,
                    recurrence.occurrence if recurrence else 1,
                    now,
                    str(owner_id),
                    events.topics(),
                    events.payloads(),
                    meta.idempotency_key,
                    # Only a keyed request keeps its answer (to replay it).
                    _result(task) if meta.idempotency_key is not None else None,
                    _CREATE_REQUEST,
                )
        except asyncpg.UniqueViolationError:
            # The same idempotency key won a race with us: answer with its task.
            replay = await self._replayed(self.db, owner_id, meta, _CREATE_REQUEST)
            if replay is None:
                raise
            return replay
        if not created:  # the deterministic id exists already: nothing to do twice
            return await self.get(owner_id, new_id)
        return task

    async def update(
        self,
        owner_id: uuid.UUID,
        task_id: uuid.UUID,
        patch: TaskPatch,
        meta: Meta = Meta(),
        *,
        expected_version: int | None = None,
    ) -> Task:
        changes = patch.model_dump(exclude_unset=True)
        columns: dict[str, Any] = {}
        for name, value in changes.items():
            if name == "reminders":
                columns["reminders"] = [
                    Reminder.model_validate(r).model_dump(mode="json") for r in value
                ]
            elif name == "recurrence":
                columns["rrule"] = value["rrule"] if value else None
                columns["series_id"] = (value or {}).get("series_id") or (
                    task_id if value else None
                )
            else:
                columns[name] = value
        return await self._mutate(
            owner_id,
            task_id,
            meta,
            expected_version,
            columns,
            EventType.TASK_UPDATED,
            changed=sorted(changes),
        )

    async def complete(
        self,
        owner_id: uuid.UUID,
        task_id: uuid.UUID,
        meta: Meta = Meta(),
        *,
        expected_version: int | None = None,
    ) -> Task:
        return await self._mutate(
            owner_id,
            task_id,
            meta,
            expected_version,
            {"status": Status.DONE.value, "completed_at": datetime.now(UTC)},
            EventType.TASK_COMPLETED,
            require_status=Status.OPEN,
        )

    async def reopen(
        self,
        owner_id: uuid.UUID,
        task_id: uuid.UUID,
        meta: Meta = Meta(),
        *,
        expected_version: int | None = None,
    ) -> Task:
        return await self._mutate(
            owner_id,
            task_id,
            meta,
            expected_version,
            {"status": Status.OPEN.value, "completed_at": None},
            EventType.TASK_REOPENED,
            require_status=Status.DONE,
        )

    async def delete(
        self,
        owner_id: uuid.UUID,
        task_id: uuid.UUID,
        meta: Meta = Meta(),
        *,
        expected_version: int | None = None,
    ) -> Task:
        request = _request(EventType.TASK_DELETED, task_id)
        async with transaction(self.db) as conn:
            before, replayed = await self._lock_and_claim(
                conn, owner_id, task_id, expected_version, meta, request
            )
            if replayed:
                return before  # the delete happened on the first call
            await conn.execute(
                "DELETE FROM app.tasks WHERE id = $1 AND owner_id = $2", task_id, owner_id
            )
            events = OutboxBatch(owner_id, meta)
            events.task_change(EventType.TASK_DELETED, before)
            events.reminders(before, None)
            await events.write(conn)
            await self._remember(conn, owner_id, meta, before)
            return before

    # -- internals -----------------------------------------------------------------------------

    async def _mutate(
        self,
        owner_id: uuid.UUID,
        task_id: uuid.UUID,
        meta: Meta,
        expected_version: int | None,
        columns: dict[str, Any],
        event_type: EventType,
        *,
        require_status: Status | None = None,
        **extra: Any,
    ) -> Task:
        request = _request(event_type, task_id)
        async with transaction(self.db) as conn:
            before, replayed = await self._lock_and_claim(
                conn, owner_id, task_id, expected_version, meta, request
            )
            if replayed:
                return before
            if require_status is not None and before.status is not require_status:
                # Completing a done task changes nothing and emits nothing; a retry with the
                # same key gets the same answer.
                await self._remember(conn, owner_id, meta, before)
                return before
            sets = [f"{name} = ${i}" for i, name in enumerate(columns, start=3)]
            sets += ["updated_at = clock_timestamp()", "version = version + 1"]
            row = await conn.fetchrow(
                f"UPDATE app.tasks SET {', '.join(sets)} WHERE id = $1 AND owner_id = $2"
                f" RETURNING {_COLUMNS}",
                task_id,
                owner_id,
                *columns.values(),
            )
            after = _row_to_task(row)
            _validate_after(after)
            events = OutboxBatch(owner_id, meta)
            events.task_change(event_type, after, **extra)
            events.reminders(before, after)
            await events.write(conn)
            await self._remember(conn, owner_id, meta, after)
            return after

    async def _lock_and_claim(
        self,
        conn: Connection,
        owner_id: uuid.UUID,
        task_id: uuid.UUID,
        expected_version: int | None,
        meta: Meta,
        request: str,
    ) -> tuple[Task, bool]:
        """The task, locked, and whether the key's first request already answered (then the
        task is that answer).

        The row lock comes before the key's claim because it is the transaction's first write,
        which gives the transaction its id: the relay publishes in transaction-id order
        (transport/relay.py), so changes of one task reach the broker in the order they
        commit. A retry whose first request deleted the task or moved its version on still gets
        the first answer, not NotFound or a version conflict."""
        try:
            before = await self._lock(conn, owner_id, task_id, expected_version)
        except (NotFound, VersionConflict):
            if (replay := await self._claim(conn, owner_id, meta, request)) is not None:
                return replay, True
            raise
        if (replay := await self._claim(conn, owner_id, meta, request)) is not None:
            return replay, True
        return before, False

    async def _lock(
        self,
        conn: Connection,
        owner_id: uuid.UUID,
        task_id: uuid.UUID,
        expected_version: int | None,
    ) -> Task:
        row = await conn.fetchrow(
            f"SELECT {_COLUMNS} FROM app.tasks WHERE id = $1 AND owner_id = $2 FOR UPDATE",
            task_id,
            owner_id,
        )
        if row is None:
            raise NotFound(f"there is no task {task_id}")
        task = _row_to_task(row)
        if expected_version is not None and task.version != expected_version:
            raise VersionConflict(
                f"the task changed since you read it (you have version {expected_version},"
                f" it is now at {task.version}); fetch it again and retry",
                task.version,
            )
        return task

    async def _replayed(self, db: Db, owner_id: uuid.UUID, meta: Meta, request: str) -> Task | None:
        """The stored result of the key's first request, or None if the key is unused."""
        if meta.idempotency_key is None:
            return None
        row = await db.fetchrow(
            "SELECT request, result FROM app.idempotency_keys WHERE owner_id = $1 AND key = $2",
            owner_id,
            meta.idempotency_key,
        )
        return None if row is None else _replay(row, request)

    async def _claim(
        self, conn: Connection, owner_id: uuid.UUID, meta: Meta, request: str
    ) -> Task | None:
        """Reserve the key for `request` in the caller's transaction, or return the result of
        the request that used it first.

        A concurrent request with the same key waits on this INSERT until ours ends: when we
        commit it replays our result, when we roll back (a refused change) it acts itself. So
        two racing retries act once, and neither meets a unique violation.
        """
        if meta.idempotency_key is None:
            return None
        claimed = await conn.fetchval(
            "INSERT INTO app.idempotency_keys (owner_id, key, request, result)"
            " VALUES ($1, $2, $3, '{}') ON CONFLICT (owner_id, key) DO NOTHING RETURNING true",
            owner_id,
            meta.idempotency_key,
            request,
        )
        if claimed:
            return None
        replay = await self._replayed(conn, owner_id, meta, request)
        if replay is None:  # the row we conflicted with is gone again: refuse, never act twice
            raise IdempotencyKeyInFlight(_IN_FLIGHT)
        return replay

    async def _remember(
        self, conn: Connection, owner_id: uuid.UUID, meta: Meta, task: Task
    ) -> None:
        """Record the result of the request that claimed the key (same transaction)."""
        if meta.idempotency_key is None:
            return
        await conn.execute(
            "UPDATE app.idempotency_keys SET result = $3 WHERE owner_id = $1 AND key = $2",
            owner_id,
            meta.idempotency_key,
            _result(task),
        )


_REUSED = (
    "Idempotency-Key already used for a different request; send a new key for each change"
    " (reuse a key only to retry the very same request)"
)
_IN_FLIGHT = "a request with this Idempotency-Key has not finished; retry in a moment"


def _result(task: Task) -> dict[str, Any]:
    return {"task_id": str(task.id), "task": task.model_dump(mode="json")}


def _replay(row: asyncpg.Record, request: str) -> Task:
    """The stored answer to a key, if it was used for this very request."""
    # Keys stored before requests were recorded have none: they replay as they always did.
    if row["request"] is not None and row["request"] != request:
        raise IdempotencyKeyReused(_REUSED)
    result = row["result"]
    if not isinstance(result, dict) or "task" not in result:
        raise IdempotencyKeyInFlight(_IN_FLIGHT)
    return Task.model_validate(result["task"])


def _validate_after(task: Task) -> None:
    """Rules that span fields, checked on the merged row so a PATCH cannot break them."""
    try:
        TaskCreate(
            title=task.title,
            due=task.due,
            reminders=task.reminders,
            recurrence=task.recurrence,
        )
    except ValueError as exc:
        raise InvalidChange(first_error(exc)) from exc
