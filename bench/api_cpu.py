"""The API's own CPU per task creation, in one process, without the network or a client.

    .venv/bin/python -m bench.api_cpu --requests 4000 [--profile out.prof]

`bench_api` measures the whole system on a shared machine, where throughput moves with the
neighbours. This calls the ASGI app directly (the same app, middleware and dependencies uvicorn
runs) with N concurrent in-process callers and reports the process's CPU time per request: the
API's Python and asyncpg's client side, not Postgres, not HTTP parsing. Repeatable to a few
percent, so it tells whether a change to the request path made it cheaper.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import time
from typing import Any

from bench.common import embedded_env


def _scope(method: str, path: str, headers: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def call(
    app: Any, method: str, path: str, body: dict[str, Any], headers: dict[str, str]
) -> tuple[int, bytes]:
    raw = json.dumps(body).encode()
    scope = _scope(method, path, {"content-type": "application/json", **headers})
    sent = False
    status, chunks = 0, []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)  # a client that keeps the connection open
        sent = True
        return {"type": "http.request", "body": raw, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


async def run(args: argparse.Namespace) -> None:
    from api.app import create_app
    from core.settings import Settings

    app = create_app(Settings())
    lifespan_messages: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    started = asyncio.Event()
    await lifespan_messages.put({"type": "lifespan.startup"})

    async def lifespan_send(message: dict[str, Any]) -> None:
        if message["type"].startswith("lifespan.startup"):
            started.set()

    lifespan_scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    lifespan = asyncio.create_task(app(lifespan_scope, lifespan_messages.get, lifespan_send))
    await started.wait()
    tokens = []
    for _ in range(args.clients):
        email = f"cpu-{time.monotonic_ns()}@example.com"
        creds = {"email": email, "password": "benchmark-password"}
        status, _ = await call(app, "POST", "/v1/auth/register", creds, {})
        assert status == 201
        _, body = await call(app, "POST", "/v1/auth/login", creds, {})
        tokens.append(json.loads(body)["access_token"])
    payload = {"title": "task", "priority": 2, "tags": ["bench"], "due": "2026-12-24T09:00:00"}

    async def client(token: str, n: int) -> None:
        headers = {"authorization": f"Bearer {token}"}
        for _ in range(n):
            status, body = await call(app, "POST", "/v1/tasks", payload, headers)
            assert status == 201, body

    gc_time = [0.0, 0.0, 0]  # seconds collecting, when the current collection began, full ones

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            gc_time[1] = time.process_time()
        else:
            gc_time[0] += time.process_time() - gc_time[1]
            gc_time[2] += info["generation"] == 2

    per_client = args.requests // args.clients
    await asyncio.gather(*(client(t, 20) for t in tokens))  # warm up
    profiler = cProfile.Profile() if args.profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    gc.callbacks.append(on_gc)
    await asyncio.gather(*(client(t, per_client) for t in tokens))
    gc.callbacks.remove(on_gc)
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    n = per_client * args.clients
    print(f"{n} creations: CPU {cpu / n * 1e6:,.0f} µs each (wall {wall / n * 1e6:,.0f} µs),"
          f" of which the garbage collector {gc_time[0] / n * 1e6:,.0f} µs"
          f" ({gc_time[2]} full collections)")  # fmt: skip
    await lifespan_messages.put({"type": "lifespan.shutdown"})
    await lifespan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--profile", help="write a cProfile of the measured requests here")
    args = parser.parse_args()
    with embedded_env() as env:
        import os

        os.environ.update(env)
        asyncio.run(run(args))


if __name__ == "__main__":
    main()
