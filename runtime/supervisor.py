"""`todo-agent up`: embedded Postgres and broker, then every part as its own process.

Each part runs as in production (its own process, its own health port), so what works here works
in a pod. The children run in their own sessions: one Ctrl-C reaches only this supervisor, which
stops them in order (API first, storage last).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

import asyncpg

from core.settings import get_settings
from domain.store import migrate
from runtime import endpoints
from runtime.embedded import EmbeddedKafka, EmbeddedPostgres
from transport.publishers import ensure_topics
from transport.relay import republish_retained

CONSUMERS = ("notification", "recurring", "audit")


@dataclass
class Part:
    name: str
    args: list[str]
    health_url: str
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None


def _parts(host: str, port: int) -> list[Part]:
    exe = [sys.executable, "-m", "runtime"]
    parts = [
        Part(
            "api",
            [*exe, "api", "--host", host, "--port", str(port)],
            f"http://{host}:{port}/health",
            {},
        ),
        Part(
            "relay",
            [*exe, "relay"],
            f"http://127.0.0.1:{port + 10}/health",
            {"HTTP_PORT": str(port + 10), "HOST": "127.0.0.1"},
        ),
    ]
    if _consumers_available():
        for i, name in enumerate(CONSUMERS, start=11):
            parts.append(
                Part(
                    name,
                    [*exe, "consumer", name],
                    f"http://127.0.0.1:{port + i}/health",
                    {"HTTP_PORT": str(port + i), "HOST": "127.0.0.1"},
                )
            )
    return parts


def _consumers_available() -> bool:
    try:
        import consumers.apps  # noqa: F401
    except ImportError:
        return False
    return True


async def _prepare(database_url: str, bootstrap: str, *, fresh_broker: bool) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        await migrate(conn)
        if fresh_broker:
            await republish_retained(conn)
    finally:
        await conn.close()
    await ensure_topics(bootstrap)


def run_all(*, host: str, port: int) -> int:
    settings = get_settings()
    env = dict(os.environ)
    pg = EmbeddedPostgres(settings.data_dir) if not settings.database_url else None
    kafka = EmbeddedKafka() if not settings.kafka_bootstrap_servers else None
    parts: list[Part] = []
    stopping = False
    published = False

    def request_stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        env["DATABASE_URL"] = pg.start() if pg else settings.database_url or ""
        env["KAFKA_BOOTSTRAP_SERVERS"] = (
            kafka.start() if kafka else settings.kafka_bootstrap_servers or ""
        )
        asyncio.run(
            _prepare(
                env["DATABASE_URL"], env["KAFKA_BOOTSTRAP_SERVERS"], fresh_broker=kafka is not None
            )
        )
        endpoints.publish(
            settings.data_dir,
            database_url=env["DATABASE_URL"],
            kafka_bootstrap_servers=env["KAFKA_BOOTSTRAP_SERVERS"],
        )
        published = True
        parts = _parts(host, port)
        for part in parts:
            part.process = subprocess.Popen(
                part.args, env={**env, **part.env}, start_new_session=True
            )
        _banner(
            host, port, env, parts, embedded_pg=pg is not None, embedded_kafka=kafka is not None
        )
        while not stopping:
            for part in parts:
                assert part.process is not None
                if part.process.poll() is not None:
                    print(
                        f"\n{part.name} exited with code {part.process.returncode}; stopping.",
                        file=sys.stderr,
                    )
                    stopping = True
                    return 1
            time.sleep(0.2)
        return 0
    finally:
        print("\nstopping…", file=sys.stderr)
        if published:  # never another `up`'s
            endpoints.withdraw(settings.data_dir)
        for part in parts:
            if part.process and part.process.poll() is None:
                part.process.terminate()
        for part in parts:
            if part.process is None:
                continue
            try:
                part.process.wait(15)
            except subprocess.TimeoutExpired:
                part.process.kill()
                part.process.wait()
        if kafka:
            kafka.stop()
        if pg:
            pg.stop()
        print("stopped.", file=sys.stderr)


def _banner(
    host: str,
    port: int,
    env: dict[str, str],
    parts: list[Part],
    *,
    embedded_pg: bool,
    embedded_kafka: bool,
) -> None:
    base = f"http://{host}:{port}"
    lines = [
        "",
        "todo-agent is up",
        f"  web app   {base}/",
        f"  API       {base}",
        f"  docs      {base}/docs",
        f"  metrics   {base}/metrics",
        f"  Postgres  {'embedded, ' if embedded_pg else ''}{env['DATABASE_URL']}",
        f"  Kafka     {'embedded Tansu, ' if embedded_kafka else ''}"
        f"{env['KAFKA_BOOTSTRAP_SERVERS']}",
        "  parts     " + ", ".join(f"{p.name} ({p.health_url})" for p in parts),
        "Ctrl-C stops everything.",
        "",
    ]
    print("\n".join(lines), flush=True)
