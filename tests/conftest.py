"""Shared servers, started once per test session: a real Postgres and a real Kafka-compatible
broker (embedded unless DATABASE_URL / KAFKA_BOOTSTRAP_SERVERS say where), a fresh database
per session, and the API served by uvicorn on a free port. Tests isolate themselves cheaply by
registering their own users.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
import uvicorn

from core.settings import Settings
from domain.store import create_pool, migrate
from runtime.embedded import EmbeddedKafka, EmbeddedPostgres, free_port
from transport.publishers import KafkaPublisher, ensure_topics
from transport.relay import OutboxRelay


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A Postgres admin URL: the configured one, or an embedded server for this session."""
    if url := os.environ.get("DATABASE_URL"):
        yield url
        return
    with tempfile.TemporaryDirectory(prefix="tdpg", dir="/tmp") as tmp:
        server = EmbeddedPostgres(Path(tmp))
        url = server.start()
        try:
            yield url
        finally:
            server.stop()


@pytest.fixture(scope="session")
async def database_url(postgres_server: str) -> str:
    """A fresh database per session, migrated."""
    name = f"test_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(postgres_server)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = _with_database(postgres_server, name)
    conn = await asyncpg.connect(url)
    try:
        await migrate(conn)
    finally:
        await conn.close()
    return url


def _with_database(url: str, name: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def kafka() -> Iterator[EmbeddedKafka | None]:
    """The embedded broker (None when KAFKA_BOOTSTRAP_SERVERS points elsewhere)."""
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield None
        return
    broker = EmbeddedKafka()
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


@pytest.fixture(scope="session")
async def bootstrap(kafka: EmbeddedKafka | None) -> str:
    servers = os.environ.get("KAFKA_BOOTSTRAP_SERVERS") or f"127.0.0.1:{kafka.port}"
    await ensure_topics(servers)
    return servers


@pytest.fixture(scope="session")
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    p = await create_pool(database_url, min_size=1, max_size=10)
    yield p
    await p.close()


@pytest.fixture(scope="session")
def settings(database_url: str, bootstrap: str) -> Settings:
    return Settings(
        database_url=database_url,
        kafka_bootstrap_servers=bootstrap,
        jwt_secret="test-secret-0123456789abcdef0123456789",
        log_json=False,
        log_level="WARNING",
        _env_file=None,
    )


@contextlib.asynccontextmanager
async def serve_api(settings: Settings) -> AsyncIterator[str]:
    """The real app behind a real uvicorn on a free port, in the running loop; its base URL."""
    from api.app import create_app

    port = free_port()
    # Where it listens is where OAuth metadata must send clients.
    settings = settings.model_copy(update={"port": port, "public_url": f"http://127.0.0.1:{port}"})
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=port,
        log_config=None,
        access_log=False,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    server.install_signal_handlers = lambda: None
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture(scope="session")
async def api_url(settings: Settings) -> AsyncIterator[str]:
    """The API of the test session."""
    async with serve_api(settings) as url:
        yield url


@pytest.fixture(scope="session")
async def relay(pool: asyncpg.Pool, bootstrap: str) -> AsyncIterator[OutboxRelay]:
    """The outbox relay publishing to the session's broker, running in the background."""
    publisher = KafkaPublisher(bootstrap)
    await publisher.start()
    r = OutboxRelay(pool, publisher, safety_poll_s=1.0, max_backoff_s=0.5)
    task = asyncio.create_task(r.run())
    yield r
    await r.stop()
    await task
    await publisher.stop()


@pytest.fixture
async def http(api_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=api_url, timeout=10) as client:
        yield client


class User:
    def __init__(self, client: httpx.AsyncClient, user_id: str, token: str, email: str) -> None:
        self.client = client
        self.id = user_id
        self.token = token
        self.email = email
        self.headers = {"Authorization": f"Bearer {token}"}

    async def request(self, method: str, url: str, **kw) -> httpx.Response:
        headers = {**self.headers, **kw.pop("headers", {})}
        return await self.client.request(method, url, headers=headers, **kw)


async def register(client: httpx.AsyncClient, *, timezone: str = "UTC", locale: str = "en") -> User:
    email = f"u{uuid.uuid4().hex[:12]}@example.com"
    r = await client.post(
        "/v1/auth/register",
        json={
            "email": email,
            "password": "correct horse battery",
            "timezone": timezone,
            "locale": locale,
        },
    )
    assert r.status_code == 201, r.text
    r = await client.post(
        "/v1/auth/login", json={"email": email, "password": "correct horse battery"}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    return User(client, body["user_id"], body["access_token"], email)


@pytest.fixture
async def alice(http: httpx.AsyncClient) -> User:
    return await register(http, timezone="Asia/Karachi")


@pytest.fixture
async def bob(http: httpx.AsyncClient) -> User:
    return await register(http, timezone="America/New_York")


@pytest.fixture
async def own_database(postgres_server: str) -> AsyncIterator[asyncpg.Pool]:
    """A database of its own, so this test's relay is the leader there (locks are per database)."""
    name = f"own_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(postgres_server)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    pool = await create_pool(_with_database(postgres_server, name), min_size=1, max_size=4)
    async with pool.acquire() as conn:
        await migrate(conn)
    yield pool
    await pool.close()
