"""Task creation under load: throughput, latency percentiles, and commit-to-Kafka delay.

    .venv/bin/python -m bench.bench_api --clients 64 --seconds 15 --workers 2

Starts what is missing (embedded Postgres and broker unless DATABASE_URL /
KAFKA_BOOTSTRAP_SERVERS are set), the API and the relay as their own processes, as in
production, then drives N concurrent HTTP clients (aiohttp, keep-alive) that create tasks.
Targets (2 cores): >= 1,000 creations/s, p95 <= 50 ms, p99 commit-to-Kafka <= 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from datetime import datetime

import aiohttp
from aiokafka import AIOKafkaConsumer, TopicPartition

from bench.common import embedded_env, login, pct, wait_http
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


async def drive(args: argparse.Namespace, base: str, bootstrap: str) -> None:
    await wait_http(f"{base}/health")
    async with aiohttp.ClientSession() as s:
        tokens = [await login(base, s) for _ in range(args.clients)]
    latencies: list[float] = []
    errors: list[int] = []
    # The consumer measures while the load runs, as a client of Kafka would see it.
    delays: list[float] = []
    done = asyncio.Event()
    collector = asyncio.create_task(kafka_delays(bootstrap, delays, done))
    started = time.monotonic()
    stop_at = started + args.seconds
    await asyncio.gather(*(client(base, t, stop_at, latencies, errors) for t in tokens))
    elapsed = time.monotonic() - started
    deadline = time.monotonic() + 20
    while len(delays) < len(latencies) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    done.set()
    await collector
    print(f"clients            {args.clients} (API workers: {args.workers})")
    print(f"created            {len(latencies)} in {elapsed:.1f}s, errors {len(errors)}")
    print(f"throughput         {len(latencies) / elapsed:,.0f} creations/s   (target >= 1,000)")
    print(f"latency p50        {pct(latencies, 50) * 1000:.1f} ms")
    print(f"latency p95        {pct(latencies, 95) * 1000:.1f} ms   (target <= 50)")
    print(f"latency p99        {pct(latencies, 99) * 1000:.1f} ms")
    print(f"mean               {statistics.fmean(latencies) * 1000:.1f} ms")
    print(f"events on Kafka    {len(delays)} of {len(latencies)}")
    print(f"commit→Kafka p50   {pct(delays, 50) * 1000:.0f} ms")
    print(f"commit→Kafka p99   {pct(delays, 99) * 1000:.0f} ms   (target <= 1,000)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    with embedded_env(DB_POOL_MAX="20") as env:
        asyncio.run(ensure_topics(env["KAFKA_BOOTSTRAP_SERVERS"]))
        port = free_port()
        exe = [sys.executable, "-m", "runtime"]
        procs = [
            subprocess.Popen(
                [*exe, "api", "--port", str(port), "--workers", str(args.workers)], env=env
            ),
            subprocess.Popen([*exe, "relay"], env={**env, "HTTP_PORT": str(free_port())}),
        ]
        try:
            asyncio.run(drive(args, f"http://127.0.0.1:{port}", env["KAFKA_BOOTSTRAP_SERVERS"]))
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(15)


if __name__ == "__main__":
    main()
