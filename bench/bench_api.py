"""Task creation under load, beside a bare peer: throughput, latency, commit-to-Kafka delay.

    .venv/bin/python -m bench.bench_api --clients 32 --seconds 20 --workers 2

Starts what is missing (embedded Postgres and broker unless DATABASE_URL /
KAFKA_BOOTSTRAP_SERVERS are set), the API and the relay as their own processes, as in
production, and the bare peer (`bench/bare_api.py`: FastAPI + pydantic + PyJWT + asyncpg writing
a task row and an outbox row in one transaction), then drives N concurrent HTTP clients (aiohttp,
keep-alive) that create tasks, in alternating rounds against each. Target: the product >= 0.85 x
the peer's creations/s in the same run, every event on Kafka, p99 commit-to-Kafka <= 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime

import aiohttp
from aiokafka import AIOKafkaConsumer, TopicPartition

from bench.common import embedded_env, login, pct, wait_http
from bench.cpu import CpuMeter, listener_pid, postmaster_pid, this_process
from runtime.embedded import free_port
from transport.publishers import ensure_topics


async def client(
    base: str, token: str, stop_at: float, latencies: list[float], errors: list[int]
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    connector = aiohttp.TCPConnector(limit=1)
    async with aiohttp.ClientSession(connector=connector, headers=headers) as s:
        i = 0
        while time.monotonic() < stop_at:
            i += 1
            payload = {
                "title": f"task {i}",
                "priority": 2,
                "tags": ["bench"],
                "due": "2026-12-24T09:00:00",
            }
            started = time.perf_counter()
            async with s.post(f"{base}/v1/tasks", json=payload) as r:
                await r.read()
                if r.status != 201:
                    errors.append(r.status)
                    continue
            latencies.append(time.perf_counter() - started)


async def kafka_delays(bootstrap: str, delays: list[float], done: asyncio.Event) -> None:
    """Seconds from each event's commit (its `time`) to its arrival at a Kafka consumer."""
    # A short fetch wait: Tansu answers an idle fetch only when the wait expires.
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, auto_offset_reset="earliest", fetch_max_wait_ms=20
    )
    await consumer.start()
    parts = [
        TopicPartition("task-events", p)
        for p in consumer.partitions_for_topic("task-events") or range(6)
    ]
    consumer.assign(parts)
    await consumer.seek_to_beginning(*parts)
    try:
        while not done.is_set():
            batch = await consumer.getmany(timeout_ms=200, max_records=5000)
            now = time.time()
            for records in batch.values():
                for rec in records:
                    event = json.loads(rec.value)
                    committed = datetime.fromisoformat(event["time"]).timestamp()
                    delays.append(now - committed)
    finally:
        await consumer.stop()


@dataclass
class Run:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: list[int] = field(default_factory=list)
    elapsed: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # seconds per process group

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0


async def load(run: Run, base: str, tokens: list[str], seconds: float, meter: CpuMeter) -> None:
    before = meter.read()
    started = time.monotonic()
    stop_at = started + seconds
    await asyncio.gather(*(client(base, t, stop_at, run.latencies, run.errors) for t in tokens))
    run.elapsed += time.monotonic() - started
    for name, spent in meter.read().items():
        run.cpu[name] = run.cpu.get(name, 0.0) + spent - before[name]


def cpu_line(run: Run, groups: list[str]) -> str:
    """CPU microseconds per creation of each group, during this app's rounds."""
    n = max(1, len(run.latencies))
    parts = [f"{g} {run.cpu.get(g, 0.0) / n * 1e6:,.0f}" for g in groups]
    return f"CPU µs/creation    {', '.join(parts)}"


async def drive(
    args: argparse.Namespace, base: str, bare: str, bootstrap: str, meter: CpuMeter
) -> None:
    await wait_http(f"{base}/health")
    await wait_http(f"{bare}/health")
    async with aiohttp.ClientSession() as s:
        tokens = [await login(base, s) for _ in range(args.clients)]
    product, peer = Run("product"), Run("bare FastAPI + asyncpg")
    # The consumer measures while the load runs, as a client of Kafka would see it.
    delays: list[float] = []
    done = asyncio.Event()
    collector = asyncio.create_task(kafka_delays(bootstrap, delays, done))
    # Alternate short rounds so both see the same noise of a shared machine.
    for _ in range(args.rounds):
        await load(product, base, tokens, args.seconds / args.rounds, meter)
        await load(peer, bare, tokens, args.seconds / args.rounds, meter)
    deadline = time.monotonic() + 20
    while len(delays) < len(product.latencies) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    done.set()
    await collector
    print(f"clients            {args.clients} (workers: {args.workers} each), {args.rounds} rounds")
    own = {product.name: ["api", "relay"], peer.name: ["bare"]}
    for run in (product, peer):
        print(f"-- {run.name}")
        print(f"created            {len(run.latencies)} in {run.elapsed:.1f}s, "
              f"errors {len(run.errors)}")  # fmt: skip
        print(f"throughput         {run.rate:,.0f} creations/s")
        print(
            f"latency p50 / p95 / p99   {pct(run.latencies, 50) * 1000:.1f} / "
            f"{pct(run.latencies, 95) * 1000:.1f} / {pct(run.latencies, 99) * 1000:.1f} ms"
        )
        print(f"mean               {statistics.fmean(run.latencies) * 1000:.1f} ms")
        shared = [g for g in meter.roots if g not in ("api", "relay", "bare")]
        print(cpu_line(run, own[run.name] + shared))
    print(
        f"-- ratio product / bare: throughput {product.rate / peer.rate:.2f} (target >= 0.85), "
        f"p95 {pct(product.latencies, 95) / pct(peer.latencies, 95):.2f}"
    )
    print(f"events on Kafka    {len(delays)} of {len(product.latencies)}")
    print(f"commit→Kafka p50   {pct(delays, 50) * 1000:.0f} ms")
    print(f"commit→Kafka p99   {pct(delays, 99) * 1000:.0f} ms   (target <= 1,000)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20, help="per app, all rounds together")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    with embedded_env(DB_POOL_MAX="20") as env:
        asyncio.run(ensure_topics(env["KAFKA_BOOTSTRAP_SERVERS"]))
        port, bare_port = free_port(), free_port()
        exe = [sys.executable, "-m", "runtime"]
        uvicorn = [sys.executable, "-m", "uvicorn", "bench.bare_api:app", "--no-access-log",
                   "--log-level", "warning", "--workers", str(args.workers)]  # fmt: skip
        procs = [
            subprocess.Popen(
                [*exe, "api", "--port", str(port), "--workers", str(args.workers)], env=env
            ),
            subprocess.Popen([*exe, "relay"], env={**env, "HTTP_PORT": str(free_port())}),
            subprocess.Popen([*uvicorn, "--port", str(bare_port)], env=env),
        ]
        roots = {"api": procs[0].pid, "relay": procs[1].pid, "bare": procs[2].pid,
                 "client": this_process()}  # fmt: skip
        # Postgres and the broker serve both apps: each app's rounds are charged what they used.
        if (pg := postmaster_pid(env["DATABASE_URL"])) is not None:
            roots["postgres"] = pg
        if broker := listener_pid(int(env["KAFKA_BOOTSTRAP_SERVERS"].rsplit(":", 1)[1])):
            roots["broker"] = broker
        meter = CpuMeter(roots, alone=frozenset({"client"}))  # its children are the servers
        try:
            asyncio.run(drive(args, f"http://127.0.0.1:{port}", f"http://127.0.0.1:{bare_port}",
                              env["KAFKA_BOOTSTRAP_SERVERS"], meter))  # fmt: skip
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(15)


if __name__ == "__main__":
    main()
