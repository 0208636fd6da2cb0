"""Completing a recurring task creates its next instance, once, through the real broker."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import asyncpg
import pytest

from consumers.common.dead_letter import PoisonMessage
from consumers.recurring.app import _generate
from consumers.recurring.next_instance import next_instance_id, plan_next
from domain.events import CloudEvent, EventType, Topic, new_event, task_subject
from domain.models import Recurrence, Status, Task, TaskCreate
from domain.store import TaskStore
from tests.conftest import User, register
from tests.e2e.conftest import events_of, eventually


async def _next(user: User, task_id: str) -> dict | None:
    r = await user.request("GET", f"/v1/tasks/{task_id}")
    return r.json() if r.status_code == 200 else None


async def test_completing_a_recurring_task_creates_the_next_instance(
    bob: User, running_consumers, bootstrap: str, pool: asyncpg.Pool
) -> None:
    # Sunday 25 Oct 2026, 09:00 in New York (EDT); the next Sunday is after the clocks go back.
    first = (
        await bob.request(
            "POST",
            "/v1/tasks",
            json={
                "title": "Call mum",
                "notes": "ask about the trip",
                "priority": 2,
                "tags": ["family"],
                "due": "2026-10-25T09:00:00",
                "reminders": [{"offset_minutes": 30}, {"at": "2026-10-25T08:00:00"}],
                "recurrence": {"rrule": "FREQ=WEEKLY;BYDAY=SU;COUNT=3"},
            },
        )
    ).json()
    r = await bob.request("POST", f"/v1/tasks/{first['id']}/complete")
    assert r.status_code == 200, r.text

    second_id = str(next_instance_id(uuid.UUID(first["id"]), 2))
    second = await eventually(lambda: _next(bob, second_id), what="the second instance")
    assert second["title"] == "Call mum"
    assert second["notes"] == "ask about the trip"
    assert second["priority"] == 2
    assert second["tags"] == ["family"]
    assert second["status"] == "open"
    assert second["due"] == "2026-11-01T14:00:00Z"  # 09:00 EST, not 10:00
    assert second["recurrence"]["series_id"] == first["id"]
    assert second["recurrence"]["occurrence"] == 2
    reminders = second["reminders"]
    assert [x["offset_minutes"] for x in reminders if x.get("offset_minutes")] == [30]
    absolute = [x for x in reminders if x.get("at")]
    assert len(absolute) == 1
    assert absolute[0]["at"].startswith("2026-11-01T13:00:00")  # 08:00 EST, as on 25 Oct

    # Occurrence 3 is the last one (COUNT=3): completing it creates nothing.
    await bob.request("POST", f"/v1/tasks/{second_id}/complete")
    third_id = str(next_instance_id(uuid.UUID(first["id"]), 3))
    third = await eventually(lambda: _next(bob, third_id), what="the third instance")
    assert third["due"] == "2026-11-08T14:00:00Z"
    await bob.request("POST", f"/v1/tasks/{third_id}/complete")

    generated = await events_of(
        bootstrap, Topic.AUDIT_EVENTS, user_id=bob.id, types={"recurring.generated"}, count=2
    )
    assert [e["data"]["occurrence"] for e in generated] == [2, 3]
    assert generated[0]["data"]["completed_task_id"] == first["id"]

    # A later completion in the same partition proves the last one was consumed.
    marker = await _complete_daily(bob)
    await eventually(lambda: _next(bob, marker), what="the marker's next instance")
    fourth_id = next_instance_id(uuid.UUID(first["id"]), 4)
    assert await pool.fetchval("SELECT count(*) FROM app.tasks WHERE id = $1", fourth_id) == 0
    series = await pool.fetchval(
        "SELECT count(*) FROM app.tasks WHERE series_id = $1", uuid.UUID(first["id"])
    )
    assert series == 3


async def _complete_daily(user: User) -> str:
    task = (
        await user.request(
            "POST",
            "/v1/tasks",
            json={
                "title": "Marker",
                "due": "2026-11-20T10:00:00",
                "recurrence": {"rrule": "FREQ=DAILY"},
            },
        )
    ).json()
    await user.request("POST", f"/v1/tasks/{task['id']}/complete")
    return str(next_instance_id(uuid.UUID(task["id"]), 2))


async def test_completing_a_recurring_task_by_chat_creates_the_next_instance(
    alice: User, running_consumers
) -> None:
    async def say(message: str, conversation_id: str | None = None) -> dict:
        body = {"message": message}
        if conversation_id:
            body["conversation_id"] = conversation_id
        r = await alice.request("POST", "/v1/chat", json=body)
        assert r.status_code == 200, r.text
        return r.json()

    created = await say("pay rent every month on the 1st at 9am")
    assert created["actions"][0]["action"] == "created", created
    task = created["tasks"][0]
    assert task["recurrence"]["rrule"].startswith("FREQ=MONTHLY")
    done = await say("mark pay rent as done", created["conversation_id"])
    assert done["actions"][0]["action"] == "completed", done

    next_id = str(next_instance_id(uuid.UUID(task["id"]), 2))
    following = await eventually(lambda: _next(alice, next_id), what="next month's instance")
    tz = ZoneInfo("Asia/Karachi")
    first_due = datetime.fromisoformat(task["due"]).astimezone(tz)
    next_due = datetime.fromisoformat(following["due"]).astimezone(tz)
    assert (next_due.day, next_due.hour, next_due.minute) == (1, 9, 0)
    assert (next_due.year * 12 + next_due.month) - (first_due.year * 12 + first_due.month) == 1
    assert following["title"] == task["title"]
    assert following["status"] == "open"


async def test_an_impossible_rrule_is_refused_quickly(alice: User) -> None:
    started = time.perf_counter()
    r = await alice.request(
        "POST",
        "/v1/tasks",
        json={
            "title": "Never",
            "due": "2026-11-20T10:00:00",
            "recurrence": {"rrule": "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30"},
        },
    )
    took = time.perf_counter() - started
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "never occurs" in r.json()["detail"]
    assert took < 2.0  # unbounded, dateutil spends about 10 s of CPU on this rule


def _completed(owner: uuid.UUID, due: datetime) -> Task:
    task_id = uuid.uuid4()
    return Task(
        id=task_id,
        owner_id=owner,
        title="Water plants",
        notes=None,
        status=Status.DONE,
        priority=4,
        tags=[],
        due=due,
        all_day=False,
        reminders=[],
        recurrence=Recurrence(rrule="FREQ=DAILY", series_id=task_id, occurrence=1),
        created_at=due,
        updated_at=due,
        completed_at=due,
        version=2,
    )


def _completion(task: Task) -> CloudEvent:
    return new_event(
        EventType.TASK_COMPLETED,
        user_id=task.owner_id,
        subject=task_subject(task.id),
        data={"task": task.model_dump(mode="json")},
    )


async def test_the_next_instance_check_is_scoped_to_the_owner(http, pool: asyncpg.Pool) -> None:
    """Another user's row with the next instance's id never stands in for the owner's own."""
    owner, other = await register(http), await register(http)
    task = _completed(uuid.UUID(owner.id), datetime(2026, 11, 20, 10, tzinfo=UTC))
    plan = plan_next(task, "UTC")
    assert plan is not None
    store = TaskStore(pool)
    foreign = await store.create(
        uuid.UUID(other.id), TaskCreate(title="Not yours"), task_id=plan.task_id
    )
    event = _completion(task)

    with pytest.raises(PoisonMessage):  # before: silently taken as already generated
        await _generate(pool, event, task, plan)

    assert (await store.get(uuid.UUID(other.id), foreign.id)).title == "Not yours"
    applied = "SELECT count(*) FROM recurring.applied_events WHERE event_id = $1"
    assert await pool.fetchval(applied, event.id) == 0  # rolled back with the rest


async def test_the_next_instance_is_generated_once_per_owner(http, pool: asyncpg.Pool) -> None:
    owner = await register(http)
    task = _completed(uuid.UUID(owner.id), datetime(2026, 11, 20, 10, tzinfo=UTC))
    plan = plan_next(task, "UTC")
    assert plan is not None

    await _generate(pool, _completion(task), task, plan)
    await _generate(pool, _completion(task), task, plan)  # completed again after a reopen

    created = await TaskStore(pool).get(uuid.UUID(owner.id), plan.task_id)
    assert created.due == datetime(2026, 11, 21, 10, tzinfo=UTC)
    announced = await pool.fetchval(
        "SELECT count(*) FROM app.outbox WHERE key = $1 AND event->>'type' = $2",
        owner.id,
        EventType.RECURRING_GENERATED.value,
    )
    assert announced == 1
