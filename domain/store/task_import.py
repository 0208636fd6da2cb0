"""Importing a whole list: what it would change (a plan), and applying that plan in one
transaction, so an import lands entirely or not at all, with every change's events in the outbox.

A row with the id of one of the user's tasks updates it; a row with the title and due time of an
existing task is that task again (importing the same file twice changes nothing); any other row
is a new task. The functions take a connection or a pool (`Db`); `apply` runs in one transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from domain.events import EventType
from domain.models import Recurrence, Status, Task, TaskCreate
from domain.store.db import Connection, Db, transaction
from domain.store.meta import Meta
from domain.store.outbox import OutboxBatch
from domain.store.tasks import _COLUMNS, _row_to_task

MAX_ROWS = 5000


@dataclass(frozen=True, slots=True)
class ImportRow:
    row: int  # 1-based position in the file (for CSV, its line)
    task: TaskCreate
    status: Status = Status.OPEN
    task_id: uuid.UUID | None = None


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class Step:
    row: ImportRow
    action: Action
    existing: Task | None = None
    changed: tuple[str, ...] = ()


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)

    def count(self, action: Action) -> int:
        return sum(1 for s in self.steps if s.action is action)


_COMPARED = ("title", "notes", "priority", "tags", "due", "all_day", "reminders")


def _differences(task: Task, row: ImportRow) -> tuple[str, ...]:
    new = row.task
    changed = [name for name in _COMPARED if getattr(task, name) != getattr(new, name)]
    old_rule = task.recurrence.rrule if task.recurrence else None
    if old_rule != (new.recurrence.rrule if new.recurrence else None):
        changed.append("recurrence")
    if task.status is not row.status:
        changed.append("status")
    return tuple(changed)


async def all_tasks(db: Db, owner_id: uuid.UUID) -> list[Task]:
    """Every task of the user, oldest first (the order of an export)."""
    rows = await db.fetch(
        f"SELECT {_COLUMNS} FROM app.tasks WHERE owner_id = $1 ORDER BY created_at, id", owner_id
    )
    return [_row_to_task(r) for r in rows]


async def plan(db: Db, owner_id: uuid.UUID, rows: list[ImportRow]) -> Plan:
    existing = await all_tasks(db, owner_id)
    by_id = {t.id: t for t in existing}
    by_key = {(t.title, t.due): t for t in existing}
    result = Plan()
    for row in rows:
        if row.task_id is not None and (task := by_id.get(row.task_id)) is not None:
            changed = _differences(task, row)
            action = Action.UPDATE if changed else Action.UNCHANGED
            result.steps.append(Step(row, action, task, changed))
        elif (task := by_key.get((row.task.title, row.task.due))) is not None:
            result.steps.append(Step(row, Action.UNCHANGED, task))
        else:
            result.steps.append(Step(row, Action.CREATE))
    return result


async def apply(db: Db, owner_id: uuid.UUID, rows: list[ImportRow], meta: Meta) -> Plan:
    """Plan again inside the transaction (the list may have changed since a dry run) and apply.
    On a connection, the import is a savepoint of the caller's transaction."""
    async with transaction(db) as conn:
        # One import at a time per user: a second one waits, then sees the first one's tasks.
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", f"import {owner_id}")
        result = await plan(conn, owner_id, rows)
        for step in result.steps:
            if step.action is Action.CREATE:
                await _create(conn, owner_id, step.row, meta)
            elif step.action is Action.UPDATE:
                assert step.existing is not None
                await _update(conn, owner_id, step, meta)
    return result


async def _create(conn: Connection, owner_id: uuid.UUID, row: ImportRow, meta: Meta) -> None:
    data, now, new_id = row.task, datetime.now(UTC), uuid.uuid4()
    recurrence = (
        Recurrence(rrule=data.recurrence.rrule, series_id=new_id) if data.recurrence else None
    )
    done = row.status is Status.DONE
    task = Task(
        id=new_id,
        owner_id=owner_id,
        title=data.title,
        notes=data.notes,
        status=row.status,
        priority=data.priority,
        tags=data.tags,
        due=data.due,
        all_day=data.all_day,
        reminders=data.reminders,
        recurrence=recurrence,
        created_at=now,
        updated_at=now,
        completed_at=now if done else None,
        version=1,
    )
    await conn.execute(
        "INSERT INTO app.tasks (id, owner_id, title, notes, status, priority, tags, due, all_day,"
        " reminders, rrule, series_id, occurrence, created_at, updated_at, completed_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $13, $14)",
        new_id,
        owner_id,
        task.title,
        task.notes,
        task.status.value,
        task.priority,
        task.tags,
        task.due,
        task.all_day,
        [r.model_dump(mode="json") for r in task.reminders],
        recurrence.rrule if recurrence else None,
        new_id if recurrence else None,
        now,
        task.completed_at,
    )
    events = OutboxBatch(owner_id, meta)
    events.task_change(EventType.TASK_CREATED, task, imported=True)
    events.reminders(None, task)
    await events.write(conn)


async def _update(conn: Connection, owner_id: uuid.UUID, step: Step, meta: Meta) -> None:
    before, data, status = step.existing, step.row.task, step.row.status
    assert before is not None
    columns: dict[str, Any] = {
        name: getattr(data, name) for name in _COMPARED if name in step.changed
    }
    if "reminders" in columns:
        columns["reminders"] = [r.model_dump(mode="json") for r in data.reminders]
    if "recurrence" in step.changed:
        columns["rrule"] = data.recurrence.rrule if data.recurrence else None
        columns["series_id"] = (before.recurrence.series_id if before.recurrence else None) or (
            before.id if data.recurrence else None
        )
    if "status" in step.changed:
        columns["status"] = status.value
        columns["completed_at"] = datetime.now(UTC) if status is Status.DONE else None
    sets = [f"{name} = ${i}" for i, name in enumerate(columns, start=3)]
    sets += ["updated_at = clock_timestamp()", "version = version + 1"]
    row = await conn.fetchrow(
        f"UPDATE app.tasks SET {', '.join(sets)} WHERE id = $1 AND owner_id = $2"
        f" RETURNING {_COLUMNS}",
        before.id,
        owner_id,
        *columns.values(),
    )
    after = _row_to_task(row)
    events = OutboxBatch(owner_id, meta)
    fields = sorted(set(step.changed) - {"status"})
    if fields:
        events.task_change(EventType.TASK_UPDATED, after, changed=fields, imported=True)
    if "status" in step.changed:
        kind = EventType.TASK_COMPLETED if status is Status.DONE else EventType.TASK_REOPENED
        events.task_change(kind, after, imported=True)
    events.reminders(before, after)
    await events.write(conn)
