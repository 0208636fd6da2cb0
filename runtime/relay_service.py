"""The relay process: outbox → Kafka (or Dapr), with its own health and metrics endpoints."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from prometheus_client import CollectorRegistry

from core.heap import freeze_startup_heap
from core.ops_http import ops_app, ops_server
from core.settings import Settings
from domain.store import create_pool, migrate
from transport.publishers import DaprPublisher, EventPublisher, KafkaPublisher, ensure_topics
from transport.relay import OutboxRelay, RelayMetrics

log = logging.getLogger(__name__)


def make_publisher(settings: Settings) -> EventPublisher:
    if settings.event_transport == "dapr":
        token = settings.dapr_api_token.get_secret_value() if settings.dapr_api_token else None
        return DaprPublisher(
            settings.dapr_http_endpoint, settings.dapr_pubsub_name, api_token=token
        )
    if not settings.kafka_bootstrap_servers:
        raise RuntimeError("KAFKA_BOOTSTRAP_SERVERS is not set (todo-agent up sets it for you)")
    return KafkaPublisher(settings.kafka_bootstrap_servers)


async def serve(settings: Settings) -> None:
    if not settings.database_url:
        raise RuntimeError("DATABASE_URL is not set (todo-agent up sets it for you)")
    pool = await create_pool(settings.database_url, min_size=1, max_size=4)
    async with pool.acquire() as conn:
        await migrate(conn)
    if settings.event_transport == "kafka" and settings.kafka_bootstrap_servers:
        with contextlib.suppress(Exception):  # the relay retries if the broker is not up yet
            await ensure_topics(settings.kafka_bootstrap_servers)
    publisher = make_publisher(settings)
    registry = CollectorRegistry()
    relay = OutboxRelay(pool, publisher, metrics=RelayMetrics(registry))

    async def ready() -> dict[str, str]:
        checks = {"database": "ok", "transport": "ok"}
        try:
            await asyncio.wait_for(pool.fetchval("SELECT 1"), 2)
        except Exception:
            checks["database"] = "unreachable"
        if not await publisher.ping():
            checks["transport"] = "unreachable"
        return checks

    server = ops_server(ops_app(registry, ready), settings.host, settings.http_port)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, lambda: asyncio.ensure_future(relay.stop()))
    await _start_publisher(publisher)
    http = asyncio.create_task(server.serve())
    log.info("relay started", extra={"transport": settings.event_transport})
    freeze_startup_heap()
    try:
        await relay.run()
    finally:
        server.should_exit = True
        await http
        await publisher.stop()
        await pool.close()
        log.info("relay stopped")


async def _start_publisher(publisher: EventPublisher) -> None:
    delay = 0.5
    while True:
        try:
            await publisher.start()
            return
        except Exception as exc:
            log.warning("transport not reachable yet; retrying in %.1fs", delay, exc_info=exc)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5)
