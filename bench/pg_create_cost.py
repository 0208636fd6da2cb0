"""Postgres CPU per task creation, statement by statement: what each index, the NOTIFY trigger
and the relay's marking cost, on an embedded Postgres with the product's migrations.

    .venv/bin/python -m bench.pg_create_cost --n 3000

One connection runs the product's `_CREATE_SQL` (three outbox rows, as a creation with a due
date writes) N times; the CPU of the whole postmaster tree (backend, WAL writer, checkpointer,
autovacuum) is read from the kernel around the loop. Then the same with one more thing removed
(cumulative: trigger, then each index), then the bare peer's insert, then the relay's per-batch
read and cursor move over what was written. Numbers are µs of Postgres CPU per creation.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import psutil

from bench.bare_api import _INSERT as BARE_INSERT
from bench.bare_api import SCHEMA as BARE_SCHEMA
from domain.store.migrations import migrate
from domain.store.tasks import _CREATE_REQUEST, _CREATE_SQL
from runtime.embedded import EmbeddedPostgres
from transport.relay import _READ_SQL


def _tree_cpu(root: psutil.Process) -> float:
    total = 0.0
    for proc in [root, *root.children(recursive=True)]:
        try:
            t = proc.cpu_times()
        except psutil.Error:
            continue
        total += t.user + t.system
    return total


def _event(topic: str, owner: uuid.UUID, task_id: uuid.UUID, i: int) -> str:
    task = {
        "id": str(task_id), "owner_id": str(owner), "title": f"task {i}", "notes": None,
        "status": "open", "priority": 2, "tags": ["bench"], "due": "2026-12-24T04:00:00Z",
        "all_day": False, "reminders": [], "rrule": None, "series_id": None, "occurrence": 1,
        "created_at": "2026-12-03T17:00:00Z", "updated_at": "2026-12-03T17:00:00Z",
        "completed_at": None, "version": 1,
    }  # fmt: skip
    return json.dumps({
        "specversion": "1.0", "id": str(uuid.uuid4()), "source": "todo-agent/api",
        "type": "task.created" if topic != "reminders" else "reminder.scheduled",
        "subject": f"task/{task_id}", "time": "2026-12-03T17:00:00.123456Z",
        "datacontenttype": "application/json", "user_id": str(owner),
        "correlation_id": uuid.uuid4().hex, "data": {"task": task},
    })  # fmt: skip


async def _create(conn: asyncpg.Connection, owner: uuid.UUID, i: int) -> None:
    task_id = uuid.uuid4()
    topics = ["task-events", "task-updates", "reminders"]
    now = datetime.now(UTC)
    await conn.fetchval(
        _CREATE_SQL, task_id, owner, f"task {i}", None, 2, ["bench"], now, False, [], None,
        None, 1, now, str(owner), topics, [_event(t, owner, task_id, i) for t in topics],
        None, None, _CREATE_REQUEST,
    )  # fmt: skip


async def _bare(conn: asyncpg.Connection, owner: uuid.UUID, i: int) -> None:
    task_id = uuid.uuid4()
    now = datetime.now(UTC)
    await conn.execute(
        BARE_INSERT, task_id, owner, f"task {i}", 2, ["bench"], now, now, str(owner),
        _event("task-events", owner, task_id, i),
    )  # fmt: skip


async def _relay_mark(conn: asyncpg.Connection) -> int:
    """The relay's read and cursor move, batch by batch, of everything after the cursor."""
    n = 0
    while rows := await conn.fetch(_READ_SQL, 500):
        last = rows[-1]
        await conn.execute(
            "UPDATE app.outbox_cursor SET txid = $1, id = $2", last["txid"], last["id"]
        )
        n += len(rows)
    return n


def main(n: int) -> None:
    with tempfile.TemporaryDirectory(prefix="tdb", dir="/tmp") as tmp:
        pg = EmbeddedPostgres(Path(tmp))
        url = pg.start()  # runs its own event loop: before ours
        try:
            asyncio.run(_measure(url, n))
        finally:
            pg.stop()


async def _measure(url: str, n: int) -> None:
    conn = await asyncpg.connect(url)
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
    await migrate(conn)
    await conn.execute(BARE_SCHEMA)
    postmaster = psutil.Process(conn.get_server_pid()).parent()
    assert postmaster is not None
    owner = uuid.uuid4()
    await conn.execute(
        "INSERT INTO app.users (id, email, password_hash) VALUES ($1, 'b@x', 'x')", owner
    )

    async def run(label: str, op: object) -> float:
        for i in range(200):  # warm: plans cached, pages in
            await op(conn, owner, i)  # type: ignore[operator]
        await conn.execute("CHECKPOINT")
        before = _tree_cpu(postmaster)
        for i in range(n):
            await op(conn, owner, i)  # type: ignore[operator]
        spent = (_tree_cpu(postmaster) - before) / n * 1e6
        print(f"{label:<44} {spent:7,.0f} µs/creation")
        return spent

    await run("product _CREATE_SQL (3 outbox rows)", _create)
    before = _tree_cpu(postmaster)
    marked = await _relay_mark(conn)
    per_creation = (_tree_cpu(postmaster) - before) / marked * 3e6
    print(f"{'relay read + cursor move (3 rows)':<44} {per_creation:7,.0f} µs/creation")
    steps = [
        ("- NOTIFY trigger", "DROP TRIGGER outbox_notify ON app.outbox"),
        ("- outbox_txid_id", "DROP INDEX app.outbox_txid_id"),
        ("- outbox_task_updates", "DROP INDEX app.outbox_task_updates"),
        ("- tasks_title_trgm", "DROP INDEX app.tasks_title_trgm"),
        ("- tasks_title_words", "DROP INDEX app.tasks_title_words"),
        ("- tasks_tags", "DROP INDEX app.tasks_tags"),
        ("- tasks_owner_due", "DROP INDEX app.tasks_owner_due"),
        ("- tasks_owner_created", "DROP INDEX app.tasks_owner_created"),
    ]
    for label, ddl in steps:
        await conn.execute(ddl)
        await run(label, _create)
    await run("bare peer insert (1 outbox row)", _bare)
    await conn.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=3000)
    main(parser.parse_args().n)
