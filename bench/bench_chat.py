"""Chat turns per second and latency: over HTTP (Postgres checkpointer) and in process
(no checkpointer), side by side, with the rules backend.

    .venv/bin/python -m bench.bench_chat --conversations 32 --seconds 15 --workers 2

Targets (2 cores): >= 300 turns/s, p95 <= 100 ms over HTTP, and HTTP >= 0.5 x in-process.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import subprocess
import sys
import time
import uuid

import aiohttp

from bench.common import embedded_env, login, pct, wait_http
from core.logging import setup_logging
from domain.store import Outbox, TaskStore, UserStore, create_pool, migrate
from graph.checkpointer import open_checkpointer
from graph.context import Context
from graph.graph import make_builder
from graph.nodes import Deps
from runtime.embedded import free_port
from tools.client import HostedToolbox
from tools.server import build_server

# A realistic mix: mostly creating and asking, sometimes completing and chatting.
TURNS = [
    "buy milk tomorrow at 5pm #shopping",
    "what's due today?",
    "add call the dentist on friday p2",
    "mark buy milk as done",
    "کل شام 5 بجے امی کو فون کرنا",
    "help",
]


async def http_conversation(
    base: str, token: str, stop_at: float, latencies: list[float], errors: list[int]
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    conversation: str | None = None
    async with aiohttp.ClientSession(headers=headers, connector=aiohttp.TCPConnector(limit=1)) as s:
        i = 0
        while time.monotonic() < stop_at:
            body = {"message": TURNS[i % len(TURNS)]}
            if conversation:
                body["conversation_id"] = conversation
            i += 1
            started = time.perf_counter()
            async with s.post(f"{base}/v1/chat", json=body) as r:
                data = await r.json()
                if r.status != 200:
                    errors.append(r.status)
                    continue
            latencies.append(time.perf_counter() - started)
            conversation = data["conversation_id"]


async def over_http(args: argparse.Namespace, base: str) -> tuple[list[float], float, int]:
    await wait_http(f"{base}/health")
    async with aiohttp.ClientSession() as s:
        tokens = [await login(base, s) for _ in range(args.conversations)]
    latencies: list[float] = []
    errors: list[int] = []
    started = time.monotonic()
    await asyncio.gather(
        *(http_conversation(base, t, started + args.seconds, latencies, errors) for t in tokens)
    )
    return latencies, time.monotonic() - started, len(errors)


async def in_process(
    args: argparse.Namespace, database_url: str, durability: str | None = None
) -> tuple[list[float], float]:
    """The graph without HTTP; with `durability` set, on the Postgres checkpointer."""
    pool = await create_pool(database_url, max_size=20)
    async with pool.acquire() as conn:
        await migrate(conn)
    tasks, users = TaskStore(pool), UserStore(pool)
    host = HostedToolbox(build_server(lambda: tasks, lambda: users))
    deps = Deps(toolbox=await host.start(), outbox=Outbox(pool))

    async def provide() -> Deps:
        return deps

    saver_cm = open_checkpointer(database_url) if durability else contextlib.nullcontext()
    saver = await saver_cm.__aenter__()
    graph = make_builder(provide).compile(checkpointer=saver)
    people = [
        await users.create(f"inproc-{uuid.uuid4().hex[:8]}@example.com", "x",
                           timezone="Asia/Karachi")
        for _ in range(args.conversations)
    ]  # fmt: skip
    latencies: list[float] = []
    started = time.monotonic()
    stop_at = started + args.seconds

    async def converse(user_id: str) -> None:
        thread = str(uuid.uuid4())
        ctx = Context(user_id=user_id, timezone="Asia/Karachi", conversation_id=thread)
        config = {"configurable": {"thread_id": thread}}
        extra = {"durability": durability} if durability else {}
        i = 0
        while time.monotonic() < stop_at:
            t0 = time.perf_counter()
            await graph.ainvoke({"message": TURNS[i % len(TURNS)]}, config, context=ctx, **extra)
            latencies.append(time.perf_counter() - t0)
            i += 1

    await asyncio.gather(*(converse(str(p.id)) for p in people))
    elapsed = time.monotonic() - started
    await saver_cm.__aexit__(None, None, None)
    await host.stop()
    await pool.close()
    return latencies, elapsed


def report(name: str, latencies: list[float], elapsed: float) -> float:
    rate = len(latencies) / elapsed
    print(
        f"{name:<28} {rate:8.0f} turns/s   p50 {pct(latencies, 50) * 1000:6.1f} ms"
        f"   p95 {pct(latencies, 95) * 1000:6.1f} ms   p99 {pct(latencies, 99) * 1000:6.1f} ms"
    )
    return rate


def main() -> None:
    setup_logging("bench", level="WARNING")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--modes",
        nargs="*",
        default=["exit", "async", "sync"],
        help="checkpointer durability modes to measure in process",
    )
    args = parser.parse_args()

    with embedded_env(NLU_BACKEND="rules") as env:
        port = free_port()
        api = subprocess.Popen(
            [sys.executable, "-m", "runtime", "api", "--port", str(port), "--workers",
             str(args.workers)], env=env,
        )  # fmt: skip
        try:
            http_lat, http_s, errors = asyncio.run(over_http(args, f"http://127.0.0.1:{port}"))
        finally:
            api.terminate()
            api.wait(15)
        url = env["DATABASE_URL"]
        local_lat, local_s = asyncio.run(in_process(args, url))
        modes = {m: asyncio.run(in_process(args, url, m)) for m in args.modes}
    print(
        f"{args.conversations} concurrent conversations, rules backend, "
        f"{args.workers} API workers, errors over HTTP: {errors}"
    )
    http_rate = report("HTTP + checkpointer (exit)", http_lat, http_s)
    local_rate = report("in process, no checkpointer", local_lat, local_s)
    for mode, (lat, secs) in modes.items():
        report(f"in process, durability={mode}", lat, secs)
    print(f"HTTP / in-process            {http_rate / local_rate:.2f}   (target >= 0.5)")


if __name__ == "__main__":
    main()
