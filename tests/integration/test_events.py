"""Events through the real broker: order, envelope, correlation, and surviving a broker outage."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg

from domain.events import Topic
from domain.models import Reminder, TaskCreate
from domain.store import Meta, TaskStore, UserStore
from runtime.embedded import EmbeddedKafka
from tests.conftest import User
from tests.kafka_helpers import collect
from transport.publishers import KafkaPublisher, ensure_topics
from transport.relay import OutboxRelay

REQUIRED = {"specversion", "id", "source", "type", "time", "subject", "datacontenttype", "userid"}


async def test_changes_reach_kafka_in_order_with_the_envelope(
    alice: User, relay: OutboxRelay, bootstrap: str
) -> None:
    r = await alice.request(
        "POST",
        "/v1/tasks",
        json={
            "title": "Dentist",
            "due": "2026-12-03T15:00:00",
            "reminders": [{"offset_minutes": 60}],
        },
        headers={
            "X-Request-ID": "corr-create-1",
            "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        },
    )
    task = r.json()
    path = f"/v1/tasks/{task['id']}"
    await alice.request("PATCH", path, json={"title": "Dentist (moved)"})
    await alice.request("POST", f"{path}/complete")
    await alice.request("POST", f"{path}/reopen")
    await alice.request("DELETE", path)

    events = await collect(bootstrap, Topic.TASK_EVENTS, user_id=alice.id, count=5)
    assert [e["type"] for e in events] == [
        "task.created",
        "task.updated",
        "task.completed",
        "task.reopened",
        "task.deleted",
    ]
    first = events[0]
    assert first.keys() >= REQUIRED
    assert first["specversion"] == "1.0"
    assert first["subject"] == f"task/{task['id']}"
    assert first["userid"] == alice.id
    assert first["correlationid"] == "corr-create-1"
    assert first["traceparent"].startswith("00-0af7651916cd43dd")
    assert first["data"]["task"]["title"] == "Dentist"
    assert first["_headers"]["content-type"] == "application/cloudevents+json"
    assert len({e["id"] for e in events}) == 5
    assert [e["data"]["task"]["version"] for e in events] == [1, 2, 3, 4, 4]

    updates = await collect(bootstrap, Topic.TASK_UPDATES, user_id=alice.id, count=5)
    assert [e["id"] for e in updates] != [e["id"] for e in events]
    assert [e["type"] for e in updates] == [e["type"] for e in events]

    reminders = await collect(bootstrap, Topic.REMINDERS, user_id=alice.id, count=5)
    assert [e["type"] for e in reminders] == [
        "reminder.scheduled",  # created
        "reminder.scheduled",  # renamed: same moment, new words
        "reminder.cancelled",  # completed
        "reminder.scheduled",  # reopened
        "reminder.cancelled",  # deleted
    ]
    assert reminders[0]["data"]["reminders"][0]["fire_at"] == "2026-12-03T09:00:00+00:00"
    assert [e["data"].get("title") for e in reminders[:2]] == ["Dentist", "Dentist (moved)"]
    assert reminders[1]["data"]["reminders"] == reminders[0]["data"]["reminders"]


async def test_moving_the_due_time_moves_the_reminder(alice: User, relay, bootstrap) -> None:
    task = (
        await alice.request(
            "POST",
            "/v1/tasks",
            json={
                "title": "Standup",
                "due": "2026-12-03T10:00:00Z",
                "reminders": [{"offset_minutes": 15}],
            },
        )
    ).json()
    await alice.request("PATCH", f"/v1/tasks/{task['id']}", json={"notes": "no due change"})
    await alice.request("PATCH", f"/v1/tasks/{task['id']}", json={"due": "2026-12-04T10:00:00Z"})
    events = await collect(bootstrap, Topic.REMINDERS, user_id=alice.id, count=2)
    fire_times = [e["data"]["reminders"][0]["fire_at"] for e in events]
    assert fire_times == ["2026-12-03T09:45:00+00:00", "2026-12-04T09:45:00+00:00"]


async def test_broker_outage_loses_nothing(own_database: asyncpg.Pool) -> None:
    pool = own_database
    broker = EmbeddedKafka()
    bootstrap = broker.start()
    await ensure_topics(bootstrap)
    publisher = KafkaPublisher(bootstrap, timeout_s=1.0)
    await publisher.start()
    relay = OutboxRelay(pool, publisher, safety_poll_s=0.5, max_backoff_s=0.5)
    running = asyncio.create_task(relay.run())
    user = await UserStore(pool).create(f"{uuid.uuid4().hex[:8]}@example.com", "x")
    tasks = TaskStore(pool)
    try:
        for i in range(5):
            await tasks.create(user.id, TaskCreate(title=f"before {i}"), Meta())
        before = await collect(bootstrap, Topic.TASK_EVENTS, user_id=str(user.id), count=5)
        assert len(before) == 5

        broker.stop()  # the broker goes away; writes go on
        for i in range(20):
            await tasks.create(
                user.id,
                TaskCreate(
                    title=f"during {i}",
                    due="2026-12-01T10:00:00Z",
                    reminders=[Reminder(offset_minutes=5)],
                ),
                Meta(),
            )
        await asyncio.sleep(1.5)  # the relay tries, fails, keeps the rows
        assert await relay.backlog() == 60  # task-events, task-updates, reminders
        assert relay.last_error is not None

        broker.start()  # same port, but empty: Tansu keeps nothing across restarts
        deadline = asyncio.get_running_loop().time() + 30
        while await relay.backlog() and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.2)
        after = await collect(bootstrap, Topic.TASK_EVENTS, user_id=str(user.id), count=20)
        assert [e["data"]["task"]["title"] for e in after] == [f"during {i}" for i in range(20)]
        reminders = await collect(bootstrap, Topic.REMINDERS, user_id=str(user.id), count=20)
        assert len(reminders) == 20
        assert await relay.backlog() == 0
    finally:
        await relay.stop()
        await running
        await publisher.stop()
        broker.stop()
