"""The outbox relay: publishes committed events in transaction order and moves a cursor past them.

One relay publishes at a time (a Postgres advisory lock elects it), which keeps each user's
events in order; standbys wait for the lock. It wakes on LISTEN/NOTIFY as soon as a change
commits, with a slow safety poll in case a notification is missed. When the transport is down it
keeps every row, backs off, and catches up once the transport is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

import asyncpg
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram

from transport.publishers import EventPublisher, OutboundMessage, PublishError

log = logging.getLogger(__name__)

_LEADER_LOCK = 7_242_002
_CHANNEL = "outbox"
# The cursor as two one-time subplans: a row of parameters, which an index scan on
# outbox_txid_id can start from (a join with the cursor table read the whole outbox).
_CURSOR = "((SELECT txid FROM app.outbox_cursor), (SELECT id FROM app.outbox_cursor))"
_AFTER_CURSOR = f"FROM app.outbox o WHERE (o.txid, o.id) > {_CURSOR}"
# xmin of this statement's snapshot: every transaction with a smaller id has ended.
_READ_SQL = (
    "SELECT o.id, o.txid, o.topic, o.key, o.event::text AS body, o.event->>'type' AS type,"
    " o.created_at, o.txid < pg_snapshot_xmin(pg_current_snapshot()) AS final"
    f" {_AFTER_CURSOR} ORDER BY o.txid, o.id LIMIT $1"
)
# Events committed (or still being written) and not yet published.
_BACKLOG_SQL = f"SELECT count(*) {_AFTER_CURSOR}"


class RelayMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        reg = registry if registry is not None else REGISTRY
        self.published = Counter("outbox_published_total", "Events published", registry=reg)
        self.failures = Counter(
            "outbox_publish_failures_total", "Failed publish batches", registry=reg
        )
        self.backlog = Gauge(
            "outbox_backlog", "Events committed but not yet published", registry=reg
        )
        self.lag = Histogram(
            "outbox_commit_to_publish_seconds",
            "Delay from commit to broker acknowledgement",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
            registry=reg,
        )
        self.leader = Gauge("outbox_relay_leader", "1 when this relay holds the lock", registry=reg)


class OutboxRelay:
    def __init__(
        self,
        pool: asyncpg.Pool,
        publisher: EventPublisher,
        *,
        metrics: RelayMetrics | None = None,
        batch_size: int = 500,
        linger_s: float = 0.025,
        safety_poll_s: float = 5.0,
        max_backoff_s: float = 5.0,
        retention: timedelta = timedelta(days=1),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.pool = pool
        self.publisher = publisher
        self.metrics = metrics or RelayMetrics(CollectorRegistry())
        self.batch_size = batch_size
        self.linger_s = linger_s
        self.safety_poll_s = safety_poll_s
        self.max_backoff_s = max_backoff_s
        self.retention = retention
        self.clock = clock
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self.is_leader = False
        self.held_back = False  # the last drain left events behind an open transaction
        self.last_error: str | None = None

    def _notified(self, *_: object) -> None:
        self._wake.set()

    async def run(self) -> None:
        """Run until `stop()`: win the leader lock, then drain on every notification."""
        while not self._stopping.is_set():
            try:
                await self._lead()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                self.last_error = f"database: {exc!r}"
                log.warning("relay failed (database or bug); retrying in 1s", exc_info=exc)
                await self._sleep(1.0)

    async def stop(self) -> None:
        self._stopping.set()
        self._wake.set()

    async def _lead(self) -> None:
        async with self.pool.acquire() as conn:
            while not await conn.fetchval("SELECT pg_try_advisory_lock($1)", _LEADER_LOCK):
                self.metrics.leader.set(0)
                if await self._sleep(self.safety_poll_s):
                    return
            self.is_leader = True
            self.metrics.leader.set(1)
            await conn.add_listener(_CHANNEL, self._notified)
            try:
                await self._serve()
            finally:
                self.is_leader = False
                self.metrics.leader.set(0)
                with contextlib.suppress(Exception):
                    await conn.remove_listener(_CHANNEL, self._notified)
                    await conn.execute("SELECT pg_advisory_unlock($1)", _LEADER_LOCK)

    async def _serve(self) -> None:
        backoff = 0.1
        last_cleanup = 0.0
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                sent = await self.drain()
                backoff = 0.1
                self.last_error = None
            except PublishError as exc:
                self.metrics.failures.inc()
                self.last_error = str(exc)
                log.warning("publish failed; events kept, retrying in %.1fs", backoff, exc_info=exc)
                await self._sleep(backoff)
                backoff = min(backoff * 2, self.max_backoff_s)
                continue
            if self.clock() - last_cleanup > 3600:
                await self._cleanup()
                last_cleanup = self.clock()
            if sent and not self._stopping.is_set():
                # Busy: let the next commits gather for a moment, so a batch carries many
                # events. Each batch costs a SELECT, a cursor UPDATE and a produce request per
                # partition whatever its size; at a few events a batch that was most of the
                # relay's (and the broker's) CPU. An idle relay still sends the first event of
                # a burst at once.
                await asyncio.sleep(self.linger_s)
            # Held back by an open transaction: poll at the linger pace until it ends.
            wait = self.linger_s if self.held_back else self.safety_poll_s
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)

    async def drain(self) -> int:
        """Publish every final event after the cursor, in order. Returns how many were sent."""
        sent = 0
        self.held_back = False
        while True:
            # As text: the relay forwards events, it has no use for them decoded. `final`: the
            # row's transaction is older than every one still running, so nothing can commit
            # behind it any more; rows ordered after a non-final one wait for it.
            rows = await self.pool.fetch(_READ_SQL, self.batch_size)
            ready = [r for r in rows if r["final"]]
            # A short batch is the whole backlog; only a full one needs counting.
            full = len(rows) == self.batch_size
            self.metrics.backlog.set(await self.backlog() if full else len(rows))
            if len(ready) < len(rows):
                # An older transaction is still open (it may write nothing to the outbox, so
                # no notification would come when it ends): poll again soon.
                self.held_back = True
            if not ready:
                return sent
            await self.publisher.publish_batch(
                [
                    OutboundMessage(r["topic"], r["key"], r["body"].encode(), r["type"])
                    for r in ready
                ]
            )
            # One small HOT update per batch instead of one non-HOT update per event.
            last = ready[-1]
            await self.pool.execute(
                "UPDATE app.outbox_cursor SET txid = $1, id = $2", last["txid"], last["id"]
            )
            self._observe(ready)
            sent += len(ready)
            if not full or self.held_back:
                # A short batch was the whole backlog when read; whatever committed since has
                # notified (the wake-up was cleared before this drain), so no SELECT to see
                # that nothing is left.
                return sent

    def _observe(self, rows: list[asyncpg.Record]) -> None:
        now = self.clock()
        for r in rows:
            created: datetime = r["created_at"]
            self.metrics.lag.observe(max(0.0, now - created.timestamp()))
        self.metrics.published.inc(len(rows))

    async def backlog(self) -> int:
        return await self.pool.fetchval(_BACKLOG_SQL)

    async def _cleanup(self) -> None:
        # By age, not by publish time: a republished event (see `republish_retained`) must not
        # outlive its retention. Only rows behind the cursor: an unpublished one is never lost.
        await self.pool.execute(
            "DELETE FROM app.outbox o USING app.outbox_cursor c"
            " WHERE (o.txid, o.id) <= (c.txid, c.id) AND o.created_at < now() - $1::interval",
            self.retention,
        )

    async def _sleep(self, seconds: float) -> bool:
        """Sleep unless stopping; True when the relay is stopping."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)
        return self._stopping.is_set()


async def republish_retained(conn: asyncpg.Connection) -> int:
    """Queue every retained event to be published again, in order; the number queued.

    For a broker that starts empty (the embedded one keeps nothing across restarts): what was
    published but not yet consumed would otherwise be gone. Consumers apply each event id once,
    so the events they already had change nothing.
    """
    async with conn.transaction():
        queued = await conn.fetchval(
            "SELECT count(*) FROM app.outbox o, app.outbox_cursor c"
            " WHERE (o.txid, o.id) <= (c.txid, c.id)"
        )
        # Before the oldest retained row: the relay reads everything again, in order.
        await conn.execute("UPDATE app.outbox_cursor SET txid = '0', id = 0")
    return int(queued)
