"""Reminders fire on time into a real SMTP server and as a WebSocket message; cancelled and moved
reminders follow their task; failing channels are retried, then reported; replicas never double."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
from prometheus_client import CollectorRegistry
from websockets.asyncio.client import connect

from consumers.common.settings import ConsumerSettings
from consumers.notification.channels import EmailChannel
from consumers.notification.scheduler import Deliverer, DeliveryMetrics, Scheduler
from domain.events import Topic
from runtime.settings import Settings
from tests.conftest import User, register
from tests.e2e.conftest import Mailbox, events_of, eventually


def _ws_url(api_url: str, user: User) -> str:
    return api_url.replace("http://", "ws://") + f"/v1/ws?token={user.token}"


def _iso(moment: datetime) -> str:
    return moment.isoformat()


async def test_a_reminder_fires_on_time_by_email_and_websocket(
    alice: User, api_url: str, running_consumers, mailbox: Mailbox, bootstrap: str
) -> None:
    async with connect(_ws_url(api_url, alice)) as ws:
        soon = datetime.now(UTC) + timedelta(seconds=2)
        due = soon + timedelta(minutes=10)
        fire = (
            await alice.request(
                "POST",
                "/v1/tasks",
                json={"title": "Pay rent", "due": _iso(due), "reminders": [{"at": _iso(soon)}]},
            )
        ).json()
        cancelled = (
            await alice.request(
                "POST",
                "/v1/tasks",
                json={
                    "title": "Done early",
                    "due": _iso(due),
                    "reminders": [{"at": _iso(soon - timedelta(seconds=0.5))}],
                },
            )
        ).json()
        moved = (
            await alice.request(
                "POST",
                "/v1/tasks",
                json={
                    "title": "Moved",
                    "due": _iso(due + timedelta(days=1)),
                    "reminders": [{"offset_minutes": 0}],
                },
            )
        ).json()
        await alice.request("POST", f"/v1/tasks/{cancelled['id']}/complete")
        await alice.request(
            "PATCH", f"/v1/tasks/{moved['id']}", json={"due": _iso(soon + timedelta(seconds=0.3))}
        )

        fired: list[dict] = []
        deadline = time.monotonic() + 15
        while len(fired) < 2 and time.monotonic() < deadline:
            message = json.loads(await asyncio.wait_for(ws.recv(), 15))
            if message.get("type") == "reminder.fired":
                fired.append(message)
        received_at = time.time()

    assert sorted(m["data"]["task_id"] for m in fired) == sorted([fire["id"], moved["id"]])
    first = next(m for m in fired if m["data"]["task_id"] == fire["id"])
    assert first["userid"] == alice.id
    assert first["data"]["title"] == "Pay rent"
    assert received_at >= soon.timestamp()

    mails = await eventually(lambda: _mail_for(mailbox, alice.email, 2), what="two e-mails")
    by_subject = {m["Subject"]: (t, m) for t, m in mails}
    assert set(by_subject) == {"Reminder: Pay rent", "Reminder: Moved"}
    arrived, mail = by_subject["Reminder: Pay rent"]
    assert mail["X-Todo-Task-Id"] == fire["id"]
    lateness = arrived - soon.timestamp()
    assert 0 <= lateness < 1.5, f"e-mail arrived {lateness:.3f}s after the reminder time"

    outcomes = await events_of(
        bootstrap, Topic.AUDIT_EVENTS, user_id=alice.id, types={"reminder.delivered"}, count=2
    )
    assert sorted(e["data"]["task_id"] for e in outcomes) == sorted([fire["id"], moved["id"]])
    assert sorted(outcomes[0]["data"]["channels"]) == ["email", "in_app"]
    assert not [m for m in mailbox.to(alice.email) if m["Subject"] == "Reminder: Done early"]


async def _mail_for(mailbox: Mailbox, address: str, count: int):
    found = [(t, m) for t, m in mailbox.messages if m["To"] == address]
    return found if len(found) >= count else None


async def test_a_failing_channel_is_retried_then_reported(
    http, running_consumers, pool: asyncpg.Pool, bootstrap: str, mailbox: Mailbox
) -> None:
    hooks: list[dict] = []
    calls = 0

    async def webhook(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal calls
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length")
        )
        body = await reader.readexactly(length)
        calls += 1
        status = b"503 Busy" if calls == 1 else b"200 OK"  # the first try fails, the retry works
        if calls > 1:
            hooks.append(json.loads(body))
        writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(webhook, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    good, bad = await register(http), await register(http)
    await pool.execute(
        "INSERT INTO notification.settings (user_id, channels, webhook_url) VALUES"
        " ($1, '{webhook}', $2), ($3, '{webhook,email}', 'http://127.0.0.1:9/nothing-listens')",
        uuid.UUID(good.id),
        f"http://127.0.0.1:{port}/hook",
        uuid.UUID(bad.id),
    )
    now = datetime.now(UTC)
    body = {
        "title": "Hook",
        "due": _iso(now + timedelta(hours=1)),
        "reminders": [{"at": _iso(now)}],
    }
    try:
        good_task = (await good.request("POST", "/v1/tasks", json=body)).json()
        bad_task = (await bad.request("POST", "/v1/tasks", json=body)).json()
        failed = await events_of(
            bootstrap, Topic.AUDIT_EVENTS, user_id=bad.id, types={"reminder.failed"}, count=1
        )
        delivered = await events_of(
            bootstrap, Topic.AUDIT_EVENTS, user_id=good.id, types={"reminder.delivered"}, count=1
        )
    finally:
        server.close()
    assert [e["data"]["task_id"] for e in failed] == [bad_task["id"]]
    assert failed[0]["data"]["channels"] == ["email"]  # e-mail went out; the webhook did not
    assert "webhook" in failed[0]["data"]["errors"]
    assert [e["data"]["task_id"] for e in delivered] == [good_task["id"]]
    assert delivered[0]["data"]["channels"] == ["webhook"]
    assert [h["task_id"] for h in hooks] == [good_task["id"]]
    assert calls == 2
    state = await pool.fetchval(
        "SELECT state FROM notification.schedule WHERE task_id = $1", uuid.UUID(bad_task["id"])
    )
    assert state == "failed"
    assert len(mailbox.to(bad.email)) == 1


async def test_two_replicas_never_send_the_same_reminder(
    http, pool: asyncpg.Pool, e2e_settings: Settings, mailbox: Mailbox, running_consumers
) -> None:
    """Three schedulers (the running consumer and two more) race for 60 due reminders."""
    user = await register(http)
    cfg = ConsumerSettings(delivery_concurrency=8, claim_batch=5, _env_file=None)
    now = datetime.now(UTC)
    ids = [uuid.uuid4() for _ in range(60)]
    extra = []
    for _ in range(2):
        deliverer = Deliverer(
            pool,
            {"email": EmailChannel(e2e_settings, 5)},
            cfg,
            DeliveryMetrics(CollectorRegistry()),
        )
        scheduler = Scheduler(pool, deliverer, cfg)
        extra.append((scheduler, asyncio.create_task(scheduler.run())))
    try:
        await pool.execute(
            "INSERT INTO notification.schedule (reminder_id, user_id, task_id, title, fire_at)"
            " SELECT id, $2, id, 'race', $3 FROM unnest($1::uuid[]) AS id",
            ids,
            uuid.UUID(user.id),
            now + timedelta(milliseconds=300),
        )
        await eventually(
            lambda: _mail_for(mailbox, user.email, 60), what="60 e-mails", timeout_s=20
        )
        await asyncio.sleep(0.3)  # a double would arrive about now
    finally:
        for scheduler, task in extra:
            await scheduler.stop()
            await task
    per_reminder = [len(mailbox.for_reminder(str(i))) for i in ids]
    assert per_reminder == [1] * 60
    assert (
        await pool.fetchval(
            "SELECT count(*) FROM notification.schedule"
            " WHERE reminder_id = ANY($1) AND state = 'delivered'",
            ids,
        )
        == 60
    )
