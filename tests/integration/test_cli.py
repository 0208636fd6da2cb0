"""The `todo-agent` command as a person uses it: `up` on the embedded defaults starts every part
(on the port PORT names), says it is up only once every part is ready, keeps reminder e-mail in
its own mail sink, refuses a busy port; one Ctrl-C stops them all, a second `up` finds the same
data, and one-off commands beside a running `up` find its database without configuration."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
import pytest

from core.settings import Settings
from domain.events import EventType, Topic, new_event, task_subject
from runtime.embedded import free_port
from runtime.endpoints import database_url
from runtime.mail_sink import read_mail

EMBEDDED = ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "SMTP_HOST", "SMTP_PORT", "PORT", "HOST")


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in EMBEDDED}
    return {**env, "DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING", **extra}


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "runtime", *args],
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _health_urls(port: int) -> list[str]:
    """The API's readiness, then the health of the relay and the three consumers."""
    ports = (port + 10, port + 11, port + 12, port + 13)
    return [f"http://127.0.0.1:{port}/ready", *(f"http://127.0.0.1:{p}/health" for p in ports)]


def _wait_announced(port: int, process: subprocess.Popen[str], timeout_s: float = 120) -> None:
    """Wait for `up` to say it is up; by then every part must be ready already."""
    announced = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if "todo-agent is up" in line:
                announced.set()

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + timeout_s
    while not announced.wait(0.2):
        if process.poll() is not None:
            pytest.fail(f"`up` exited early with {process.returncode}: {process.stderr.read()}")
        if time.monotonic() > deadline:
            pytest.fail("`up` did not announce itself")
    for url in _health_urls(port):
        assert httpx.get(url.replace("/health", "/ready"), timeout=2).status_code == 200, url


@contextmanager
def system_up(data_dir: Path, port: int) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "runtime", "up"],
        env=_env(data_dir, PORT=str(port)),  # the README's way; --port is the other
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_announced(port, process)
        yield base
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # what Ctrl-C sends
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                raise
    assert process.returncode == 0, process.stderr.read()


def _mail_eventually(data_dir: Path, timeout_s: float = 30) -> str:
    """What `todo-agent mail` shows once the sink has a message (polled without a process)."""
    deadline = time.monotonic() + timeout_s
    while not list(read_mail(data_dir)) and time.monotonic() < deadline:
        time.sleep(0.2)
    shown = _cli(data_dir, "mail")
    assert shown.returncode == 0, shown.stderr
    return shown.stdout


def test_up_refuses_a_busy_port_before_starting_anything() -> None:
    with tempfile.TemporaryDirectory(prefix="tdbusy", dir="/tmp") as tmp, socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        started = time.monotonic()
        refused = subprocess.run(
            [sys.executable, "-m", "runtime", "up"],
            env=_env(Path(tmp) / "data", PORT=str(port)),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert refused.returncode == 2
        assert f"port {port} on 127.0.0.1 (the API) is in use" in refused.stderr
        assert "todo-agent is up" not in refused.stdout
        assert time.monotonic() - started < 20  # refused before any database was started
        assert not (Path(tmp) / "data" / "pg").exists()
        # A value that is no port at all: one sentence naming it, no traceback.
        bad = subprocess.run(
            [sys.executable, "-m", "runtime", "up"],
            env=_env(Path(tmp) / "data", PORT="eighty"),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert bad.returncode == 2
        assert "PORT='eighty'" in bad.stderr
        assert "Traceback" not in bad.stderr


def _parts_stopped(port: int) -> bool:
    for url in _health_urls(port):
        try:
            httpx.get(url, timeout=0.5)
            return False
        except httpx.HTTPError:
            continue
    return True


def test_up_runs_every_part_stops_on_ctrl_c_and_keeps_the_data() -> None:
    with tempfile.TemporaryDirectory(prefix="tdup", dir="/tmp") as tmp:
        data_dir = Path(tmp) / "data"
        port = free_port()
        account = {"email": "up@example.com", "password": "a long password"}
        with system_up(data_dir, port) as base:  # ready: the API, the relay, the consumers
            assert httpx.post(f"{base}/v1/auth/register", json=account).status_code == 201
            login = httpx.post(f"{base}/v1/auth/login", json=account).json()
            auth = {"Authorization": f"Bearer {login['access_token']}"}
            made = httpx.post(f"{base}/v1/tasks", json={"title": "survive a restart"}, headers=auth)
            assert made.status_code == 201
            # A one-off command beside the running system finds its embedded database.
            verified = _cli(data_dir, "audit", "verify")
            assert verified.returncode == 0, verified.stderr
            assert "audit log intact" in verified.stdout
            # With no SMTP configured, reminder e-mail lands in `up`'s own mail sink.
            soon = (datetime.now(UTC) + timedelta(seconds=2)).isoformat()
            remind = {"title": "water the plants", "reminders": [{"at": soon}]}
            assert httpx.post(f"{base}/v1/tasks", json=remind, headers=auth).status_code == 201
            assert "Reminder: water the plants" in _mail_eventually(data_dir)
        assert _parts_stopped(port)
        assert not (data_dir / "endpoints.json").exists()
        # An event the relay published just before the stop, which no consumer had read yet:
        # the embedded broker forgets it, the outbox does not.
        unread = _published_but_unread(data_dir, login["user_id"], made.json())

        with system_up(data_dir, port) as base:
            token = httpx.post(f"{base}/v1/auth/login", json=account).json()["access_token"]
            auth = {"Authorization": f"Bearer {token}"}
            listed = httpx.get(f"{base}/v1/tasks", headers=auth)
            titles = [t["title"] for t in listed.json()["items"]]
            assert titles == ["water the plants", "survive a restart"]
            trail = _audit_trail(base, auth, lambda ids: unread in ids)
        assert trail.count(unread) == 1
        assert len(trail) == len(set(trail))  # republished events were not recorded twice


def _published_but_unread(data_dir: Path, user_id: str, task: dict) -> str:
    settings = Settings(data_dir=data_dir, database_url=None, _env_file=None)
    event = new_event(
        EventType.TASK_UPDATED, user_id=user_id, subject=task_subject(task["id"]),
        data={"task": task},
    )  # fmt: skip

    async def insert(url: str) -> None:
        conn = await asyncpg.connect(url)
        try:
            await conn.execute(
                "INSERT INTO app.outbox (topic, key, event) VALUES ($1, $2, $3::jsonb)",
                Topic.TASK_EVENTS.value,
                user_id,
                event.to_json().decode(),
            )
            # Published: the relay's cursor is past it.
            await conn.execute(
                "UPDATE app.outbox_cursor SET (txid, id) = (SELECT txid, id FROM app.outbox"
                " ORDER BY txid DESC, id DESC LIMIT 1)"
            )
        finally:
            await conn.close()

    with database_url(settings) as url:  # starts the embedded server on that data directory
        asyncio.run(insert(url))
    return event.id


def _audit_trail(base: str, auth: dict[str, str], done, timeout_s: float = 60) -> list[str]:
    """The caller's audit event ids, once `done(ids)` holds."""
    deadline = time.monotonic() + timeout_s
    while True:
        items = httpx.get(f"{base}/v1/audit", params={"limit": 200}, headers=auth).json()["items"]
        ids = [e["event_id"] for e in items]
        if done(ids) or time.monotonic() > deadline:
            return ids
        time.sleep(0.5)


def test_one_off_commands_work_without_a_running_system() -> None:
    with tempfile.TemporaryDirectory(prefix="tdcli", dir="/tmp") as tmp:
        data_dir = Path(tmp) / "data"
        migrated = _cli(data_dir, "migrate")
        assert migrated.returncode == 0, migrated.stderr
        assert "applied:" in migrated.stdout
        again = _cli(data_dir, "migrate")
        assert "nothing (up to date)" in again.stdout
        verified = _cli(data_dir, "audit", "verify")
        assert verified.returncode == 0, verified.stderr
        assert "audit log intact: 0 entries" in verified.stdout
        no_broker = _cli(data_dir, "dlq", "replay", "task-events")
        assert no_broker.returncode != 0
        assert "KAFKA_BOOTSTRAP_SERVERS" in no_broker.stderr
