"""At-least-once without doubles: poison messages go to the DLQ and the stream goes on, handlers
are retried with backoff, every event delivered twice changes nothing, and a consumer killed
mid-stream and restarted (then joined by a second member) loses nothing and doubles nothing."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
import uuid
from collections import Counter

import asyncpg
import httpx
from aiokafka import AIOKafkaProducer

from consumers.audit import chain
from consumers.audit.app import AuditApp
from consumers.common.dlq_replay import replay
from consumers.common.runtime import ConsumerService, Runtime
from consumers.recurring.next_instance import next_instance_id
from core.settings import Settings
from domain.events import CloudEvent, Topic, new_event, task_subject
from runtime.embedded import free_port
from tests.conftest import User
from tests.e2e.conftest import Mailbox, consumer_settings, events_of, eventually
from tests.kafka_helpers import collect


async def _send(bootstrap: str, topic: str, messages: list[tuple[bytes, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    try:
        sent = [await producer.send(topic, value, key=key) for key, value in messages]
        await asyncio.gather(*sent)
    finally:
        await producer.stop()


def _event(user: str, n: int = 0) -> CloudEvent:
    return new_event(
        "task.created", user_id=user, subject=task_subject(uuid.uuid4()), data={"n": n}
    )


async def _audited(pool: asyncpg.Pool, user: str) -> int:
    return await pool.fetchval("SELECT count(*) FROM audit.log WHERE user_id = $1", user)


async def test_malformed_events_go_to_the_dlq_while_good_ones_flow(
    running_consumers, bootstrap: str, pool: asyncpg.Pool
) -> None:
    key = f"poison-{uuid.uuid4()}"
    not_json = b"{this is not json"
    no_envelope = json.dumps({"specversion": "1.0", "type": "task.created"}).encode()
    good = _event(key)
    await _send(
        bootstrap,
        Topic.TASK_EVENTS,
        [(key.encode(), not_json), (key.encode(), no_envelope), (key.encode(), good.to_json())],
    )
    await eventually(lambda: _audited(pool, key), what="the good event in the audit log")

    dead = await _read_dlq(bootstrap, Topic.TASK_EVENTS.dlq, key, 4)
    assert len(dead) == 4
    # Both consumers of task-events (audit and recurring) parked both bad messages, at once.
    assert Counter(h["x-dlq-consumer"] for _, h in dead) == {"audit": 2, "recurring": 2}
    assert Counter(body for body, _ in dead) == {not_json: 2, no_envelope: 2}
    for _, headers in dead:
        assert headers["x-dlq-topic"] == "task-events"
        assert headers["x-dlq-attempts"] == "1"  # unparseable: retrying cannot help
    errors = {h["x-dlq-error"].split(":")[0] for _, h in dead}
    assert errors == {"JSONDecodeError", "ValidationError"}

    replayed = await replay(bootstrap, "task-events", group_id=f"replay-{uuid.uuid4().hex[:6]}")
    assert replayed >= 4
    again = await _read_dlq(bootstrap, Topic.TASK_EVENTS, key, 7)
    assert len(again) == 7  # the three originals, then the four parked copies


async def _read_dlq(
    bootstrap: str, topic: str, key: str, count: int
) -> list[tuple[bytes, dict[str, str]]]:
    """Raw records (body, headers) of one key: `collect` would parse bodies that are not JSON."""
    from aiokafka import AIOKafkaConsumer, TopicPartition

    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    await consumer.start()
    try:
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        found: list[tuple[bytes, dict[str, str]]] = []
        deadline = time.monotonic() + 10
        while len(found) < count and time.monotonic() < deadline:
            for records in (await consumer.getmany(timeout_ms=200)).values():
                found += [
                    (r.value, {k: v.decode() for k, v in r.headers})
                    for r in records
                    if r.key == key.encode()
                ]
        return found
    finally:
        await consumer.stop()


class _FlakyApp:
    """Fails an event's first two attempts, and another event's every attempt."""

    name = "flaky"

    def __init__(self, recover: str, never: str) -> None:
        self.recover, self.never = recover, never
        self.attempts: Counter[str] = Counter()
        self.handled: list[str] = []
        self.times: dict[str, list[float]] = {}

    def register(self, rt: Runtime) -> None:
        @rt.broker.subscriber(Topic.AUDIT_EVENTS.value, **rt.subscriber_options())
        async def handle(event: CloudEvent) -> None:
            if event.id not in (self.recover, self.never) and not event.userid.startswith("flaky"):
                return
            self.attempts[event.id] += 1
            self.times.setdefault(event.id, []).append(time.monotonic())
            if event.id == self.never or (event.id == self.recover and self.attempts[event.id] < 3):
                raise ConnectionError("the downstream is having a bad day")
            self.handled.append(event.id)

    async def start(self, rt: Runtime) -> None:
        return None

    async def stop(self) -> None:
        return None


async def test_a_failing_handler_is_retried_with_backoff_then_dead_lettered(
    settings: Settings, bootstrap: str
) -> None:
    user = f"flaky-{uuid.uuid4()}"
    recover, never, after = _event(user, 1), _event(user, 2), _event(user, 3)
    app = _FlakyApp(recover.id, never.id)
    service = ConsumerService(app, settings, consumer_settings(backoff_s=0.1), serve_http=False)
    await service.start()
    try:
        await _send(
            bootstrap,
            Topic.AUDIT_EVENTS,
            [(user.encode(), e.to_json()) for e in (recover, never, after)],
        )
        await eventually(lambda: _true(after.id in app.handled), what="the event after them")
    finally:
        await service.stop()
    assert app.handled == [recover.id, after.id]
    assert app.attempts[recover.id] == 3
    assert app.attempts[never.id] == 3
    gaps = [b - a for a, b in zip(app.times[never.id], app.times[never.id][1:], strict=False)]
    assert 0.09 < gaps[0] < 0.19  # 0.1 s
    assert 0.19 < gaps[1] < 0.5  # then 0.2 s
    parked = await _read_dlq(bootstrap, Topic.AUDIT_EVENTS.dlq, user, 1)
    assert [json.loads(body)["id"] for body, _ in parked] == [never.id]
    assert parked[0][1]["x-dlq-attempts"] == "3"
    assert parked[0][1]["x-dlq-error"].startswith("ConnectionError")


async def _true(value: bool) -> bool:
    return value


async def test_delivering_every_event_twice_changes_nothing(
    alice: User, running_consumers, bootstrap: str, pool: asyncpg.Pool, mailbox: Mailbox
) -> None:
    past = "2026-11-01T08:00:00Z"
    first = (
        await alice.request(
            "POST",
            "/v1/tasks",
            json={
                "title": "Water plants",
                "due": "2026-11-01T09:00:00Z",
                "reminders": [{"at": past}],
                "recurrence": {"rrule": "FREQ=WEEKLY"},
            },
        )
    ).json()
    # Both instances' reminders are in the past: each fires once, straight away.
    await eventually(lambda: _mails(mailbox, alice.email, 1), what="the first reminder")
    await alice.request("POST", f"/v1/tasks/{first['id']}/complete")
    second_id = next_instance_id(uuid.UUID(first["id"]), 2)
    await eventually(lambda: _mails(mailbox, alice.email, 2), what="the second one's reminder")
    await events_of(
        bootstrap, Topic.AUDIT_EVENTS, user_id=alice.id, types={"reminder.delivered"}, count=2
    )

    originals = {
        topic: await collect(bootstrap, topic, user_id=alice.id, count=10_000, timeout_s=1)
        for topic in (Topic.TASK_EVENTS, Topic.REMINDERS, Topic.TASK_UPDATES, Topic.AUDIT_EVENTS)
    }
    ids = [e["id"] for events in originals.values() for e in events]
    await eventually(
        lambda: _count_in_log(pool, ids, len(ids)), what="the originals in the audit log"
    )
    before = await _snapshot(pool, alice.id)

    for topic, events in originals.items():
        body = [(alice.id.encode(), json.dumps(_strip(e)).encode()) for e in events]
        await _send(bootstrap, topic, body)
    # Markers behind the copies, in the same partitions: once they are through, so are the copies.
    marker = (
        await alice.request(
            "POST",
            "/v1/tasks",
            json={
                "title": "Marker",
                "due": "2027-02-01T09:00:00Z",
                "reminders": [{"offset_minutes": 5}],
                "recurrence": {"rrule": "FREQ=DAILY"},
            },
        )
    ).json()
    await alice.request("POST", f"/v1/tasks/{marker['id']}/complete")
    marker_next = next_instance_id(uuid.UUID(marker["id"]), 2)
    await eventually(
        lambda: pool.fetchval(
            "SELECT count(*) FROM notification.schedule WHERE task_id = $1", marker_next
        ),
        what="the marker's next reminder scheduled",
    )
    await events_of(
        bootstrap, Topic.AUDIT_EVENTS, user_id=alice.id, types={"recurring.generated"}, count=2
    )
    await eventually(
        lambda: _logged(pool, alice.id, "recurring.generated", 2), what="marker audited"
    )

    after = await _snapshot(pool, alice.id)
    assert after["tasks"] == before["tasks"] | {str(marker["id"]), str(marker_next)}
    assert {k: v for k, v in after["schedule"].items() if k in before["schedule"]} == before[
        "schedule"
    ]
    assert await pool.fetchval(
        "SELECT count(*) FROM audit.log WHERE event_id = ANY($1)", ids
    ) == len(set(ids))
    assert len(mailbox.to(alice.email)) == 2
    assert str(second_id) in after["tasks"]
    async with pool.acquire() as conn:
        assert (await chain.verify(conn)).ok


def _strip(event: dict) -> dict:
    return {k: v for k, v in event.items() if k != "_headers"}


async def _mails(mailbox: Mailbox, address: str, count: int) -> bool:
    return len(mailbox.to(address)) >= count


async def _count_in_log(pool: asyncpg.Pool, ids: list[str], count: int) -> bool:
    found = await pool.fetchval("SELECT count(*) FROM audit.log WHERE event_id = ANY($1)", ids)
    return found >= count


async def _logged(pool: asyncpg.Pool, user: str, type_: str, count: int) -> bool:
    found = await pool.fetchval(
        "SELECT count(*) FROM audit.log WHERE user_id = $1 AND type = $2", user, type_
    )
    return found >= count


async def _snapshot(pool: asyncpg.Pool, user_id: str) -> dict:
    owner = uuid.UUID(user_id)
    tasks = await pool.fetch("SELECT id FROM app.tasks WHERE owner_id = $1", owner)
    schedule = await pool.fetch(
        "SELECT reminder_id, state, attempts FROM notification.schedule WHERE user_id = $1", owner
    )
    return {
        "tasks": {str(r["id"]) for r in tasks},
        "schedule": {str(r["reminder_id"]): (r["state"], r["attempts"]) for r in schedule},
    }


async def test_a_consumer_killed_mid_stream_loses_nothing_and_doubles_nothing(
    own_database, settings: Settings, bootstrap: str
) -> None:
    url, pool = own_database  # this consumer must be the only writer of its audit log
    user = f"kill-{uuid.uuid4()}"
    events = [_event(user, n) for n in range(1500)]
    await _send(bootstrap, Topic.TASK_EVENTS, [(user.encode(), e.to_json()) for e in events])
    group_prefix = f"kill-{uuid.uuid4().hex[:6]}-"
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "HTTP_PORT": str(port),
        "CONSUMER_GROUP_PREFIX": group_prefix,
        "CONSUMER_SESSION_TIMEOUT_MS": "1500",
        "CONSUMER_HEARTBEAT_INTERVAL_MS": "300",
        "CONSUMER_AUDIT_BATCH": "5",  # small batches, so that there is a middle to kill it in
        "LOG_LEVEL": "WARNING",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "runtime", "consumer", "audit", env=env
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=2) as ops:
            await eventually(lambda: _ok(ops, "/health"), what="the consumer's /health")
            assert (await ops.get("/ready")).json()["status"] == "ok"
            await eventually(
                lambda: _at_least(pool, user, 100), every_s=0.01, what="the first entries"
            )
            metrics = (await ops.get("/metrics")).text
        assert "faststream_received_messages_total" in metrics
        os.kill(proc.pid, signal.SIGKILL)  # no goodbye: no commit, no leave-group
        await proc.wait()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    at_kill = await _audited(pool, user)
    assert 100 <= at_kill < len(events) - 500, "the consumer was not stopped mid-stream"

    cfg = consumer_settings(group_prefix=group_prefix)
    own = settings.model_copy(update={"database_url": url})
    restarted = ConsumerService(AuditApp(), own, cfg, serve_http=False)
    await restarted.start()
    second = ConsumerService(AuditApp(), own, cfg, serve_http=False)
    try:
        await eventually(
            lambda: _at_least(pool, user, len(events)), timeout_s=30, what="all 1500 entries"
        )
        await second.start()  # a second member joins the group; work is shared, not repeated
        more = [_event(user, n) for n in range(1500, 1800)]
        await _send(bootstrap, Topic.TASK_EVENTS, [(user.encode(), e.to_json()) for e in more])
        await eventually(
            lambda: _at_least(pool, user, len(events) + len(more)), what="the 300 more"
        )
        events += more
    finally:
        await asyncio.gather(restarted.stop(), second.stop())
    rows = await pool.fetch("SELECT event_id FROM audit.log WHERE user_id = $1 ORDER BY seq", user)
    assert [r["event_id"] for r in rows] == [e.id for e in events]  # all, once, in order
    async with pool.acquire() as conn:
        assert (await chain.verify(conn)).ok


async def _ok(client: httpx.AsyncClient, path: str) -> bool:
    try:
        return (await client.get(path)).status_code == 200
    except httpx.HTTPError:
        return False


async def _at_least(pool: asyncpg.Pool, user: str, count: int) -> bool:
    return await _audited(pool, user) >= count
