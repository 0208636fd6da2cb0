"""The audit trail: every step of a task lands in a hash chain that verifies; only its owner can
read it; UPDATE and DELETE are refused; tampering is caught by `todo-agent audit verify`."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections import Counter

import asyncpg
import pytest

from consumers.audit import chain
from domain.events import new_event, task_subject
from tests.conftest import User
from tests.e2e.conftest import eventually

STEPS = Counter(
    {
        ("task-events", "task.created"): 1,
        ("task-updates", "task.created"): 1,
        ("reminders", "reminder.scheduled"): 2,  # created, then moved with the due time
        ("task-events", "task.updated"): 1,
        ("task-updates", "task.updated"): 1,
        ("task-events", "task.completed"): 1,
        ("task-updates", "task.completed"): 1,
        ("reminders", "reminder.cancelled"): 1,
    }
)


async def _all_pages(user: User, **params) -> list[dict]:
    items: list[dict] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        r = await user.request("GET", "/v1/audit", params=query)
        assert r.status_code == 200, r.text
        body = r.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


async def test_every_step_of_a_task_is_in_the_callers_audit_trail(
    alice: User, bob: User, running_consumers, pool: asyncpg.Pool
) -> None:
    task = (
        await alice.request(
            "POST",
            "/v1/tasks",
            json={
                "title": "Audit me",
                "due": "2027-01-10T10:00:00",
                "reminders": [{"offset_minutes": 60}],
            },
        )
    ).json()
    await alice.request("PATCH", f"/v1/tasks/{task['id']}", json={"due": "2027-01-11T10:00:00"})
    await alice.request("POST", f"/v1/tasks/{task['id']}/complete")

    async def trail() -> list[dict] | None:
        items = await _all_pages(alice, task_id=task["id"], limit=3, order="asc")
        return items if len(items) >= sum(STEPS.values()) else None

    entries = await eventually(trail, what="the task's whole audit trail")
    assert Counter((e["topic"], e["type"]) for e in entries) == STEPS
    assert [e["seq"] for e in entries] == sorted(e["seq"] for e in entries)
    assert all(e["event"]["userid"] == alice.id for e in entries)
    newest_first = await _all_pages(alice, task_id=task["id"])
    assert [e["seq"] for e in newest_first] == [e["seq"] for e in reversed(entries)]

    completed = await _all_pages(alice, task_id=task["id"], type="task.completed")
    assert {e["topic"] for e in completed} == {"task-events", "task-updates"}
    assert await _all_pages(alice, task_id=task["id"], since="2099-01-01T00:00:00Z") == []
    assert await _all_pages(bob, task_id=task["id"]) == []  # not Bob's to read

    bad = await alice.request("GET", "/v1/audit", params={"cursor": "garbage"})
    assert bad.status_code == 400
    assert bad.headers["content-type"].startswith("application/problem+json")

    async with pool.acquire() as conn:
        result = await chain.verify(conn)
    assert result.ok, result.breaks


async def _cli(*args: str, database_url: str) -> tuple[int, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "LOG_JSON": "false"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "runtime",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    return proc.returncode or 0, out.decode()


async def test_the_log_refuses_changes_and_verify_catches_tampering(own_database) -> None:
    url, pool = own_database  # this test breaks the chain on purpose
    user = str(uuid.uuid4())
    async with pool.acquire() as conn:
        for i in range(3):
            event = new_event(
                "task.created", user_id=user, subject=task_subject(uuid.uuid4()), data={"n": i}
            )
            assert await chain.append(conn, "task-events", event)
        assert not await chain.append(conn, "task-events", event)  # a redelivery: nothing new
        with pytest.raises(asyncpg.PostgresError, match="append-only"):
            await conn.execute("UPDATE audit.log SET type = 'x' WHERE seq = 2")
        with pytest.raises(asyncpg.PostgresError, match="append-only"):
            await conn.execute("DELETE FROM audit.log WHERE seq = 3")
        with pytest.raises(asyncpg.PostgresError, match="append-only"):
            await conn.execute("TRUNCATE audit.log")

    code, out = await _cli("audit", "verify", database_url=url)
    assert code == 0, out
    assert "intact: 3 entries" in out

    async with pool.acquire() as conn:
        # Only a superuser can do this, and it is exactly what verify exists to catch.
        await conn.execute("ALTER TABLE audit.log DISABLE TRIGGER log_append_only")
        await conn.execute(
            "UPDATE audit.log SET entry = replace(entry, '\"n\":1', '\"n\":7') WHERE seq = 2"
        )
        await conn.execute("UPDATE audit.log SET type = 'task.deleted' WHERE seq = 3")
        await conn.execute("ALTER TABLE audit.log ENABLE TRIGGER log_append_only")
        result = await chain.verify(conn)
    assert [(b.seq, b.reason.split()[0]) for b in result.breaks] == [(2, "hash"), (3, "columns")]
    code, out = await _cli("audit", "verify", database_url=url)
    assert code == 1
    assert "broken at entry 2" in out
