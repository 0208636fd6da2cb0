"""`todo-agent up`: embedded Postgres and broker, then every part as its own process.

Each part runs as in production (its own process, its own health port), so what works here works
in a pod. The children run in their own sessions: one Ctrl-C reaches only this supervisor, which
stops them in order (API first, storage last). The ports are checked before anything starts, and
"up" is announced only once every part answers its readiness check.
"""

from __future__ import annotations

import asyncio
import errno
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass

import asyncpg
import httpx

from core.settings import get_settings
from domain.store import migrate
from runtime import endpoints
from runtime.embedded import EmbeddedKafka, EmbeddedPostgres
from runtime.mail_sink import MailSink, maildir_path
from transport.publishers import ensure_topics
from transport.relay import republish_retained

CONSUMERS = ("notification", "recurring", "audit")
# Beside the API's port: the relay's and the consumers' health ports, then the mail sink's.
RELAY_OFFSET, MAIL_OFFSET = 10, 14
READY_TIMEOUT_S = 120.0


@dataclass
class Part:
    name: str
    args: list[str]
    ready_url: str
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None


def _parts(host: str, port: int) -> list[Part]:
    exe = [sys.executable, "-m", "runtime"]
    parts = [
        Part(
            "api",
            [*exe, "api", "--host", host, "--port", str(port)],
            f"http://{_connectable(host)}:{port}/ready",
            {},
        ),
        Part(
            "relay",
            [*exe, "relay"],
            f"http://127.0.0.1:{port + RELAY_OFFSET}/ready",
            {"HTTP_PORT": str(port + RELAY_OFFSET), "HOST": "127.0.0.1"},
        ),
    ]
    if _consumers_available():
        for i, name in enumerate(CONSUMERS, start=RELAY_OFFSET + 1):
            parts.append(
                Part(
                    name,
                    [*exe, "consumer", name],
                    f"http://127.0.0.1:{port + i}/ready",
                    {"HTTP_PORT": str(port + i), "HOST": "127.0.0.1"},
                )
            )
    return parts


def _connectable(host: str) -> str:
    """Where to reach a server bound to `host` from this machine."""
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


class PortBusy(RuntimeError):
    pass


def _check_free(host: str, port: int, what: str, api_port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as s:
        # As the servers themselves bind: a closed connection's TIME_WAIT is no obstacle.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise PortBusy(f"cannot bind {what} to {host}:{port}: {exc.strerror}") from exc
            raise PortBusy(
                f"port {port} on {host} ({what}) is in use, perhaps by another `todo-agent up`;"
                " choose another API port with PORT=... or --port (the other parts use ports"
                f" {api_port + RELAY_OFFSET}-{api_port + MAIL_OFFSET})"
            ) from exc


def _check_ports(host: str, port: int, *, mail: bool) -> None:
    _check_free(host, port, "the API", port)
    names = ["the relay", *(f"the {c} consumer" for c in CONSUMERS)]
    for i, name in enumerate(names):
        _check_free("127.0.0.1", port + RELAY_OFFSET + i, name, port)
    if mail:
        _check_free("127.0.0.1", port + MAIL_OFFSET, "the mail sink", port)


def _wait_ready(parts: list[Part], timeout_s: float, stopping: list[bool]) -> Part | None:
    """Poll each part's /ready until all answer 200; the part that died or hung, else None."""
    deadline = time.monotonic() + timeout_s
    waiting = list(parts)
    # trust_env=False: a proxy from the environment must not stand between us and loopback.
    with httpx.Client(timeout=1.0, trust_env=False) as client:
        while waiting and not stopping[0]:
            for part in parts:
                if part.process is not None and part.process.poll() is not None:
                    return part
            part = waiting[0]
            try:
                if client.get(part.ready_url).status_code == 200:
                    waiting.pop(0)
                    continue
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                return part
            time.sleep(0.2)
    return None


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


def smtp_configured() -> bool:
    """Whether the environment (or .env) names an SMTP server; else `up` runs its mail sink."""
    return "smtp_host" in get_settings().model_fields_set


def run_all(*, host: str, port: int) -> int:
    settings = get_settings()
    env = dict(os.environ)
    sink = None if smtp_configured() else MailSink(settings.data_dir, port + MAIL_OFFSET)
    try:
        _check_ports(host, port, mail=sink is not None)
    except PortBusy as exc:
        print(f"todo-agent up: {exc}", file=sys.stderr)
        return 2
    if (other := endpoints.running(settings.data_dir)) is not None:
        print(
            f"todo-agent up: another `up` (pid {other['pid']}) runs on {settings.data_dir}; stop"
            " it first, or give this one its own DATA_DIR",
            file=sys.stderr,
        )
        return 2
    pg = EmbeddedPostgres(settings.data_dir) if not settings.database_url else None
    kafka = EmbeddedKafka() if not settings.kafka_bootstrap_servers else None
    parts: list[Part] = []
    stopping = [False]
    published = False

    def request_stop(*_: object) -> None:
        stopping[0] = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        if sink is not None:
            sink.start()
            env.update(SMTP_HOST="127.0.0.1", SMTP_PORT=str(sink.port), SMTP_STARTTLS="false")
        # MCP's auth metadata names the API's own address unless told otherwise.
        if "public_url" not in settings.model_fields_set:
            env["PUBLIC_URL"] = f"http://{_connectable(host)}:{port}"
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
            api_url=f"http://{_connectable(host)}:{port}",
        )
        published = True
        parts = _parts(host, port)
        for part in parts:
            part.process = subprocess.Popen(
                part.args, env={**env, **part.env}, start_new_session=True
            )
        if (failed := _wait_ready(parts, READY_TIMEOUT_S, stopping)) is not None:
            assert failed.process is not None
            code = failed.process.poll()
            reason = (
                f"exited with code {code}"
                if code is not None
                else f"is not ready after {READY_TIMEOUT_S:.0f}s ({failed.ready_url})"
            )
            print(f"\n{failed.name} {reason}; stopping.", file=sys.stderr)
            return 1
        if stopping[0]:
            return 0
        _banner(
            host,
            port,
            env,
            parts,
            embedded_pg=pg is not None,
            embedded_kafka=kafka is not None,
            mail=(
                f"local sink on 127.0.0.1:{sink.port}, kept in {maildir_path(settings.data_dir)}"
                " (`todo-agent mail` shows it)"
                if sink
                else f"SMTP {settings.smtp_host}:{settings.smtp_port}"
            ),
        )
        while not stopping[0]:
            for part in parts:
                assert part.process is not None
                if part.process.poll() is not None:
                    print(
                        f"\n{part.name} exited with code {part.process.returncode}; stopping.",
                        file=sys.stderr,
                    )
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
        if sink:
            sink.stop()
        print("stopped.", file=sys.stderr)


def _banner(
    host: str,
    port: int,
    env: dict[str, str],
    parts: list[Part],
    *,
    embedded_pg: bool,
    embedded_kafka: bool,
    mail: str,
) -> None:
    base = f"http://{_connectable(host)}:{port}"
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
        f"  mail      {mail}",
        "  parts     " + ", ".join(f"{p.name} ({p.ready_url})" for p in parts),
        "Ctrl-C stops everything.",
        "",
    ]
    print("\n".join(lines), flush=True)
