"""One consumer process: pool, broker (retries + DLQ + Prometheus), the app's subscribers and
background work, and /health, /ready, /metrics. Tests run the same object in-process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from dataclasses import dataclass, field
from typing import Literal, Protocol, TypedDict

import asyncpg
import uvicorn
from faststream.kafka import KafkaBroker
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from faststream.middlewares import AckPolicy
from prometheus_client import CollectorRegistry

from consumers.common.dead_letter import DeadLetterMetrics, RetryPolicy, RetryThenDeadLetter
from consumers.common.decoding import decode_json_body
from consumers.common.settings import ConsumerSettings
from core.ops_http import ops_app, ops_server
from core.settings import Settings
from domain.store import create_pool, migrate
from transport.publishers import ensure_topics

log = logging.getLogger(__name__)


class SubscriberOptions(TypedDict):
    """The keyword arguments every consumer's subscriber takes (typed, so each call checks)."""

    group_id: str
    ack_policy: AckPolicy
    auto_offset_reset: Literal["latest", "earliest", "none"]
    session_timeout_ms: int
    heartbeat_interval_ms: int
    rebalance_timeout_ms: int
    fetch_max_wait_ms: int


@dataclass
class Runtime:
    """What a consumer app gets to work with."""

    name: str
    settings: Settings
    consumer: ConsumerSettings
    pool: asyncpg.Pool
    broker: KafkaBroker
    registry: CollectorRegistry
    dead_letter: RetryThenDeadLetter
    extra_checks: dict[str, str] = field(default_factory=dict)

    @property
    def group_id(self) -> str:
        return self.consumer.group_id(self.name)

    def subscriber_options(self) -> SubscriberOptions:
        """At-least-once: commit after the handler, start from the beginning of a new group."""
        return {
            "group_id": self.group_id,
            "ack_policy": AckPolicy.ACK,
            "auto_offset_reset": "earliest",
            "session_timeout_ms": self.consumer.session_timeout_ms,
            "heartbeat_interval_ms": self.consumer.heartbeat_interval_ms,
            "rebalance_timeout_ms": self.consumer.session_timeout_ms,
            "fetch_max_wait_ms": self.consumer.fetch_max_wait_ms,
        }


class ConsumerApp(Protocol):
    name: str

    def register(self, rt: Runtime) -> None:
        """Add the subscribers to `rt.broker` (called before the broker starts)."""

    async def start(self, rt: Runtime) -> None:
        """Open clients and start background work (after the broker is connected)."""

    async def stop(self) -> None:
        """Stop background work; in-flight handlers have finished by now."""


class ConsumerService:
    def __init__(
        self,
        app: ConsumerApp,
        settings: Settings,
        consumer: ConsumerSettings | None = None,
        *,
        serve_http: bool = True,
    ) -> None:
        self.app = app
        self.settings = settings
        self.consumer = consumer or ConsumerSettings()
        self.serve_http = serve_http
        self.rt: Runtime | None = None
        self._http: asyncio.Task[None] | None = None
        self._server: uvicorn.Server | None = None

    async def start(self) -> Runtime:
        s = self.settings
        if not s.database_url or not s.kafka_bootstrap_servers:
            raise RuntimeError(
                "DATABASE_URL and KAFKA_BOOTSTRAP_SERVERS must be set (todo-agent up sets them)"
            )
        pool = await create_pool(s.database_url, min_size=1, max_size=8)
        async with pool.acquire() as conn:
            await migrate(conn)
        await ensure_topics(s.kafka_bootstrap_servers)
        registry = CollectorRegistry()
        dead_letter = RetryThenDeadLetter(
            self.app.name,
            RetryPolicy(self.consumer.attempts, self.consumer.backoff_s),
            DeadLetterMetrics(registry, self.app.name),
        )
        broker = KafkaBroker(
            s.kafka_bootstrap_servers,
            client_id=f"todo-agent-{self.app.name}",
            acks="all",
            decoder=decode_json_body,
            middlewares=[KafkaPrometheusMiddleware(registry=registry), dead_letter],
            graceful_timeout=15.0,
            logger=None,
        )
        dead_letter.bind(broker)
        rt = Runtime(self.app.name, s, self.consumer, pool, broker, registry, dead_letter)
        self.app.register(rt)
        try:
            await broker.start()
            await self.app.start(rt)
        except BaseException:
            await broker.stop()
            await pool.close()
            raise
        self.rt = rt
        if self.serve_http:
            self._server = ops_server(ops_app(registry, self._ready), s.host, s.http_port)
            self._http = asyncio.create_task(self._server.serve())
        log.info("consumer started", extra={"consumer": self.app.name, "group": rt.group_id})
        return rt

    async def stop(self) -> None:
        rt, self.rt = self.rt, None
        if rt is None:
            return
        # Background work first, while it can still publish; then the broker, which waits for
        # in-flight handlers and commits their offsets.
        await self.app.stop()
        await rt.broker.stop()
        if self._server is not None and self._http is not None:
            self._server.should_exit = True
            with contextlib.suppress(Exception):
                await self._http
        await rt.pool.close()
        log.info("consumer stopped", extra={"consumer": self.app.name})

    async def _ready(self) -> dict[str, str]:
        rt = self.rt
        if rt is None:
            return {"consumer": "stopped"}
        checks = {"database": "ok", "broker": "ok", **rt.extra_checks}
        try:
            await asyncio.wait_for(rt.pool.fetchval("SELECT 1"), 2)
        except Exception:
            checks["database"] = "unreachable"
        if not await rt.broker.ping(timeout=2.0):
            checks["broker"] = "unreachable"
        return checks

    async def run_until_signalled(self) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await self.start()
        try:
            await stop.wait()
        finally:
            await self.stop()
