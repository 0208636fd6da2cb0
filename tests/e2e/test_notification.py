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
from consumers.notification import schedule
from consumers.notification.channels import EmailChannel
from consumers.notification.scheduler import Deliverer, DeliveryMetrics, Scheduler
from core.settings import Settings
from domain.events import Topic
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
    for user, channels, url in (
        (good, ["webhook"], f"http://127.0.0.1:{port}/hook"),
        (bad, ["webhook", "email"], "http://127.0.0.1:9/nothing-listens"),
    ):
        r = await user.request(
            "PATCH", "/v1/auth/me", json={"reminder_channels": channels, "webhook_url": url}
        )
        assert r.status_code == 200, r.text
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


async def test_a_title_with_line_breaks_is_mailed_on_one_subject_line(
    http, running_consumers, mailbox: Mailbox, bootstrap: str
) -> None:
    """A newline in the title once made building the Subject raise: no e-mail, no outcome, and
    the reminder retried every lease, forever."""
    user = await register(http)
    now = datetime.now(UTC)
    task = (
        await user.request(
            "POST",
            "/v1/tasks",
            json={
                "title": "Pay\nrent\r\nBcc: someone@example.com",
                "due": _iso(now + timedelta(hours=1)),
                "reminders": [{"at": _iso(now)}],
            },
        )
    ).json()
    assert task["title"] == "Pay\nrent\r\nBcc: someone@example.com"

    mails = await eventually(lambda: _mail_for(mailbox, user.email, 1), what="the e-mail")
    _, mail = mails[0]
    assert mail["Subject"] == "Reminder: Pay rent Bcc: someone@example.com"
    assert mail["Bcc"] is None  # the title could not inject a header
    assert mail["X-Todo-Task-Id"] == task["id"]
    delivered = await events_of(
        bootstrap, Topic.AUDIT_EVENTS, user_id=user.id, types={"reminder.delivered"}, count=1
    )
    assert sorted(delivered[0]["data"]["channels"]) == ["email", "in_app"]
    fired = await events_of(
        bootstrap, Topic.TASK_UPDATES, user_id=user.id, types={"reminder.fired"}, count=1
    )
    assert fired[0]["data"]["title"] == task["title"]  # in-app keeps the title as written


class _Exploding:
    """A channel with a bug: it raises something that is not a ChannelError."""

    name = "email"

    def __init__(self) -> None:
        self.calls = 0

    async def send(self, reminder, to) -> None:
        self.calls += 1
        raise RuntimeError("boom")


async def test_a_channel_that_raises_unexpectedly_is_retried_then_reported(own_database) -> None:
    _, pool = own_database  # no running scheduler may claim this database's reminders
    user_id, task_id, reminder_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await pool.execute(
        "INSERT INTO app.users (id, email, password_hash) VALUES ($1, 'x@example.com', '-')",
        user_id,
    )
    await pool.execute(
        "INSERT INTO notification.schedule (reminder_id, user_id, task_id, title, fire_at)"
        " VALUES ($1, $2, $3, 'Buggy', now())",
        reminder_id,
        user_id,
        task_id,
    )
    cfg = ConsumerSettings(delivery_retries=2, delivery_backoff_s=0.01, _env_file=None)
    metrics = DeliveryMetrics(CollectorRegistry())
    channel = _Exploding()
    deliverer = Deliverer(pool, {"email": channel}, cfg, metrics)

    due = await schedule.claim_due(pool, 10, 60)
    assert [r.reminder_id for r in due] == [reminder_id]
    await deliverer.deliver(due[0])  # raised RuntimeError before: the claim just lapsed

    assert channel.calls == 3  # the first try and two retries
    assert metrics.channel_failures.labels("email")._value.get() == 3
    row = await pool.fetchrow(
        "SELECT state, last_error FROM notification.schedule WHERE reminder_id = $1", reminder_id
    )
    assert row["state"] == "failed"
    assert "RuntimeError: boom" in row["last_error"]
    events = await pool.fetch(
        "SELECT topic, event FROM app.outbox WHERE key = $1 ORDER BY id", str(user_id)
    )
    outcomes = {(r["topic"], r["event"]["type"]) for r in events}
    assert outcomes == {
        (Topic.TASK_UPDATES.value, "reminder.fired"),  # the in-app channel still works
        (Topic.AUDIT_EVENTS.value, "reminder.failed"),
    }
    failed = next(r["event"] for r in events if r["topic"] == Topic.AUDIT_EVENTS)
    assert failed["data"]["errors"] == {"email": "RuntimeError: boom"}


async def test_reopening_a_task_brings_back_only_its_reminders_still_ahead(
    http, running_consumers, pool: asyncpg.Pool, mailbox: Mailbox
) -> None:
    user = await register(http)
    now = datetime.now(UTC)
    passed, ahead = now + timedelta(seconds=1), now + timedelta(hours=1)
    task = (
        await user.request(
            "POST",
            "/v1/tasks",
            json={
                "title": "Reopened",
                "due": _iso(now + timedelta(hours=2)),
                "reminders": [{"at": _iso(passed)}, {"at": _iso(ahead)}],
            },
        )
    ).json()
    r = await user.request("POST", f"/v1/tasks/{task['id']}/complete")
    assert r.status_code == 200, r.text
    task_id = uuid.UUID(task["id"])

    async def states() -> dict[datetime, str]:
        rows = await pool.fetch(
            "SELECT fire_at, state FROM notification.schedule WHERE task_id = $1", task_id
        )
        return {row["fire_at"]: row["state"] for row in rows}

    async def all_cancelled() -> bool:
        found = await states()
        return len(found) == 2 and set(found.values()) == {"cancelled"}

    await eventually(all_cancelled, what="both reminders cancelled by the completion")
    await asyncio.sleep(max(0.0, (passed - datetime.now(UTC)).total_seconds()) + 0.2)
    r = await user.request("POST", f"/v1/tasks/{task['id']}/reopen")
    assert r.status_code == 200, r.text

    async def ahead_pending() -> dict[datetime, str] | None:
        found = await states()
        return found if found.get(ahead) == "pending" else None

    await eventually(ahead_pending, what="the reminder still ahead to be scheduled again")
    await asyncio.sleep(1.0)  # a reminder brought back in the past would fire right away
    assert await states() == {passed: "cancelled", ahead: "pending"}
    assert mailbox.to(user.email) == []
