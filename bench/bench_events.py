"""Event-path latencies: reminders on time, commit → consumer, commit → WebSocket.

    .venv/bin/python -m bench.bench_events --reminders 1000 --window 60

Starts embedded Postgres and Tansu (unless DATABASE_URL / KAFKA_BOOTSTRAP_SERVERS are set), then
the API, the relay and the notification and audit consumers as their own processes, as in
production, plus an SMTP sink in this process. Then:

1. commit → consumer and commit → WebSocket: clients create tasks at a steady pace while each
   user's socket is open; the WebSocket delay is arrival minus the event's `time` (stamped just
   before its transaction commits); the consumer delay is the audit log's `recorded_at` minus
   that same `time`.
2. reminder lateness: N reminders due within one minute (uniformly spread), each timed from its
   fire time to the e-mail reaching the SMTP server and to `reminder.fired` reaching the socket.

Targets (2 cores): reminder lateness p99 <= 1 s, commit → WebSocket p95 <= 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
from aiosmtpd.controller import Controller

from runtime.embedded import EmbeddedKafka, EmbeddedPostgres, free_port
from transport.publishers import ensure_topics


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def summary(name: str, values: list[float], target: str = "") -> str:
    ms = [v * 1000 for v in values]
    return (
        f"{name:<28} n={len(ms):<5} p50 {pct(ms, 50):7.1f} ms  p95 {pct(ms, 95):7.1f} ms"
        f"  p99 {pct(ms, 99):7.1f} ms  max {max(ms, default=float('nan')):7.1f} ms  {target}"
    )


class SmtpSink:
    def __init__(self) -> None:
        self.arrivals: dict[str, float] = {}  # task id → arrival

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        now = time.time()
        for line in envelope.content.split(b"\r\n"):
            if line.lower().startswith(b"x-todo-task-id:"):
                self.arrivals.setdefault(line.split(b":", 1)[1].strip().decode(), now)
                break
        return "250 OK"


async def wait_http(url: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    async with aiohttp.ClientSession() as s:
        while time.monotonic() < deadline:
            try:
                async with s.get(url) as r:
                    if r.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


class BenchUser:
    def __init__(self, token: str, session: aiohttp.ClientSession) -> None:
        self.token = token
        self.session = session
        self.ws_created: dict[str, float] = {}  # task id → WebSocket delay
        self.ws_fired: dict[str, float] = {}  # task id → arrival time of reminder.fired

    async def listen(self, base: str, ready: asyncio.Event) -> None:
        url = base.replace("http://", "ws://") + f"/v1/ws?token={self.token}"
        async with self.session.ws_connect(url) as ws:
            ready.set()
            async for msg in ws:
                now = time.time()
                event = json.loads(msg.data)
                if event.get("type") == "task.created":
                    committed = datetime.fromisoformat(event["time"]).timestamp()
                    self.ws_created[event["data"]["task"]["id"]] = now - committed
                elif event.get("type") == "reminder.fired":
                    self.ws_fired.setdefault(event["data"]["task_id"], now)

    async def create(self, base: str, body: dict[str, Any]) -> str:
        headers = {"Authorization": f"Bearer {self.token}"}
        async with self.session.post(f"{base}/v1/tasks", json=body, headers=headers) as r:
            assert r.status == 201, await r.text()
            return (await r.json())["id"]


async def register(base: str, session: aiohttp.ClientSession) -> BenchUser:
    email = f"bench-{uuid.uuid4().hex[:10]}@example.com"
    body = {"email": email, "password": "benchmark-password", "timezone": "Asia/Karachi"}
    async with session.post(f"{base}/v1/auth/register", json=body) as r:
        assert r.status == 201, await r.text()
    login = {"email": email, "password": body["password"]}
    async with session.post(f"{base}/v1/auth/login", json=login) as r:
        return BenchUser((await r.json())["access_token"], session)


async def steady_load(base: str, users: list[BenchUser], rate: float, seconds: float) -> list[str]:
    """Each user creates tasks at `rate / len(users)` per second."""
    interval = len(users) / rate
    created: list[str] = []

    async def one(user: BenchUser) -> None:
        next_at = time.monotonic() + random.random() * interval
        stop_at = time.monotonic() + seconds
        while next_at < stop_at:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            created.append(await user.create(base, {"title": "latency probe"}))
            next_at += interval

    await asyncio.gather(*(one(u) for u in users))
    return created


async def drive(args: argparse.Namespace, base: str, database_url: str, sink: SmtpSink) -> None:
    for url in args.health:
        await wait_http(url)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=200)) as session:
        users = [await register(base, session) for _ in range(args.users)]
        readies = [asyncio.Event() for _ in users]
        listeners = [
            asyncio.create_task(u.listen(base, r)) for u, r in zip(users, readies, strict=True)
        ]
        await asyncio.gather(*(r.wait() for r in readies))
        await asyncio.sleep(1.0)  # the API's task-updates subscriber has its partitions by now

        # 1. commit → consumer, commit → WebSocket, under a steady load.
        created = await steady_load(base, users, args.rate, args.seconds)
        await asyncio.sleep(2.0)
        ws_delays = [d for u in users for t, d in u.ws_created.items() if t in set(created)]
        conn = await asyncpg.connect(database_url)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                rows = await conn.fetch(
                    "SELECT extract(epoch FROM recorded_at - occurred_at) AS delay FROM audit.log"
                    " WHERE topic = 'task-events' AND type = 'task.created' AND task_id = ANY($1)",
                    [uuid.UUID(t) for t in created],
                )
                if len(rows) >= len(created):
                    break
                await asyncio.sleep(0.5)
        finally:
            await conn.close()
        audit_delays = [float(r["delay"]) for r in rows]

        # 2. N reminders spread over one minute, starting a little ahead.
        start = datetime.now(UTC) + timedelta(seconds=args.lead)
        fire_at: dict[str, float] = {}

        async def schedule(user: BenchUser, count: int) -> None:
            for _ in range(count):
                at = start + timedelta(seconds=random.random() * args.window)
                body = {
                    "title": "bench reminder",
                    "due": (at + timedelta(hours=1)).isoformat(),
                    "reminders": [{"at": at.isoformat()}],
                }
                fire_at[await user.create(base, body)] = at.timestamp()

        per_user = args.reminders // len(users)
        t0 = time.monotonic()
        await asyncio.gather(*(schedule(u, per_user) for u in users))
        scheduled_in = time.monotonic() - t0
        if datetime.now(UTC) > start:
            print(f"warning: scheduling took {scheduled_in:.1f}s, past the lead; raise --lead")
        end = start.timestamp() + args.window + 30
        while len(sink.arrivals) < len(fire_at) and time.time() < end:
            await asyncio.sleep(0.5)
        await asyncio.sleep(1.0)
        for listener in listeners:
            listener.cancel()
        await asyncio.gather(*listeners, return_exceptions=True)

    mail_late = [sink.arrivals[t] - f for t, f in fire_at.items() if t in sink.arrivals]
    fired = {t: a for u in users for t, a in u.ws_fired.items()}
    ws_late = [fired[t] - f for t, f in fire_at.items() if t in fired]
    early = sum(1 for v in mail_late if v < 0)
    print()
    print(
        f"load: {len(created)} tasks at {args.rate:.0f}/s over {args.seconds:.0f}s,"
        f" {args.users} users with an open socket each"
    )
    print(summary("commit → audit consumer", audit_delays))
    print(summary("commit → WebSocket", ws_delays, "(target p95 <= 100 ms)"))
    print(
        f"reminders: {len(fire_at)} due within {args.window:.0f}s, scheduled in"
        f" {scheduled_in:.1f}s; e-mails {len(mail_late)}, sockets {len(ws_late)}, early {early}"
    )
    print(summary("reminder lateness (e-mail)", mail_late, "(target p99 <= 1,000 ms)"))
    print(summary("reminder lateness (socket)", ws_late))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reminders", type=int, default=1000)
    parser.add_argument("--window", type=float, default=60, help="seconds the reminders span")
    parser.add_argument("--lead", type=float, default=15, help="seconds before the first is due")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rate", type=float, default=200, help="task creations/s in phase 1")
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()

    sink = SmtpSink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    env = dict(
        os.environ,
        LOG_LEVEL="WARNING",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp.port),
    )
    pg = kafka = None
    tmp = tempfile.TemporaryDirectory(prefix="tdb", dir="/tmp")
    if not env.get("DATABASE_URL"):
        pg = EmbeddedPostgres(Path(tmp.name))
        env["DATABASE_URL"] = pg.start()
    if not env.get("KAFKA_BOOTSTRAP_SERVERS"):
        kafka = EmbeddedKafka()
        env["KAFKA_BOOTSTRAP_SERVERS"] = kafka.start()
    asyncio.run(ensure_topics(env["KAFKA_BOOTSTRAP_SERVERS"]))
    port = free_port()
    exe = [sys.executable, "-m", "runtime"]
    parts: list[tuple[list[str], int]] = [
        ([*exe, "api", "--port", str(port), "--workers", "1"], port),
        ([*exe, "relay"], free_port()),
        ([*exe, "consumer", "notification"], free_port()),
        ([*exe, "consumer", "audit"], free_port()),
    ]
    # The API migrates on start; the others would race it, so it goes first.
    procs = [subprocess.Popen(parts[0][0], env=env)]
    asyncio.run(wait_http(f"http://127.0.0.1:{port}/health"))
    procs += [subprocess.Popen(cmd, env={**env, "HTTP_PORT": str(p)}) for cmd, p in parts[1:]]
    args.health = [f"http://127.0.0.1:{p}/ready" for _, p in parts]
    try:
        asyncio.run(drive(args, f"http://127.0.0.1:{port}", env["DATABASE_URL"], sink))
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(20)
        smtp.stop()
        if kafka:
            kafka.stop()
        if pg:
            pg.stop()
        tmp.cleanup()


if __name__ == "__main__":
    main()
