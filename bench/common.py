"""What the benchmarks share: servers on the embedded defaults, readiness, users, percentiles."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import aiohttp

from runtime.embedded import EmbeddedKafka, EmbeddedPostgres


@contextlib.contextmanager
def embedded_env(**overrides: str) -> Iterator[dict[str, str]]:
    """The process environment, with an embedded Postgres and broker for what is not set."""
    env = dict(os.environ, LOG_LEVEL="WARNING", **overrides)
    with tempfile.TemporaryDirectory(prefix="tdb", dir="/tmp") as tmp:
        pg = kafka = None
        try:
            if not env.get("DATABASE_URL"):
                pg = EmbeddedPostgres(Path(tmp))
                env["DATABASE_URL"] = pg.start()
            if not env.get("KAFKA_BOOTSTRAP_SERVERS"):
                kafka = EmbeddedKafka()
                env["KAFKA_BOOTSTRAP_SERVERS"] = kafka.start()
            yield env
        finally:
            if kafka:
                kafka.stop()
            if pg:
                pg.stop()


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


async def wait_http(url: str, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    async with aiohttp.ClientSession() as s:
        while time.monotonic() < deadline:
            with contextlib.suppress(aiohttp.ClientError):
                async with s.get(url) as r:
                    if r.status == 200:
                        return
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


async def login(base: str, session: aiohttp.ClientSession) -> str:
    """A fresh user's access token."""
    email = f"bench-{uuid.uuid4().hex[:10]}@example.com"
    body = {"email": email, "password": "benchmark-password", "timezone": "Asia/Karachi"}
    async with session.post(f"{base}/v1/auth/register", json=body) as r:
        assert r.status == 201, await r.text()
    async with session.post(
        f"{base}/v1/auth/login", json={"email": email, "password": body["password"]}
    ) as r:
        return (await r.json())["access_token"]
