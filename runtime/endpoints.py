"""Where the system's Postgres and broker are, for one-off commands (`migrate`, `audit verify`,
`dlq replay`) run beside `todo-agent up` on the embedded defaults.

`up` publishes its embedded endpoints in DATA_DIR while it runs; a command uses, in order, the
configured URL, the endpoints of a running `up`, or (Postgres only) the embedded server on the
same data directory, started for the command and stopped after it.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

from core.settings import Settings
from runtime.embedded import EmbeddedPostgres

_FILE = "endpoints.json"


class NoEndpoint(RuntimeError):
    """Nothing is configured and nothing is running that could serve the command."""


def publish(
    data_dir: Path, *, database_url: str, kafka_bootstrap_servers: str, api_url: str | None = None
) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    record = {
        "pid": os.getpid(),
        "database_url": database_url,
        "kafka_bootstrap_servers": kafka_bootstrap_servers,
    }
    if api_url:
        record["api_url"] = api_url
    tmp = data_dir / f".{_FILE}.tmp"
    tmp.write_text(json.dumps(record))
    tmp.replace(data_dir / _FILE)  # atomic: a reader never sees half a file


def withdraw(data_dir: Path) -> None:
    (data_dir / _FILE).unlink(missing_ok=True)


def running(data_dir: Path) -> dict[str, str] | None:
    """The endpoints of a live `up` on this data directory (a file left by a killed one is
    ignored)."""
    try:
        record = json.loads((data_dir / _FILE).read_text())
        os.kill(int(record["pid"]), 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return record


@contextlib.contextmanager
def database_url(settings: Settings) -> Iterator[str]:
    if settings.database_url:
        yield settings.database_url
        return
    if (found := running(settings.data_dir)) and found.get("database_url"):
        yield found["database_url"]
        return
    server = EmbeddedPostgres(settings.data_dir)
    if server.running_elsewhere():  # e.g. an `up` of a version that published no endpoints
        yield server.url  # theirs: used, never stopped
        return
    url = server.start()
    try:
        yield url
    finally:
        server.stop()


def api_url(settings: Settings) -> str:
    """The API a client command talks to: a running `up`'s on this data directory, else
    PUBLIC_URL."""
    if (found := running(settings.data_dir)) and found.get("api_url"):
        return found["api_url"]
    return settings.public_url


def kafka_bootstrap_servers(settings: Settings) -> str:
    if settings.kafka_bootstrap_servers:
        return settings.kafka_bootstrap_servers
    if (found := running(settings.data_dir)) and found.get("kafka_bootstrap_servers"):
        return found["kafka_bootstrap_servers"]
    raise NoEndpoint(
        "no broker: set KAFKA_BOOTSTRAP_SERVERS, or start `todo-agent up` (its embedded broker "
        "is found automatically)"
    )
