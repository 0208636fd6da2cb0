"""Fires due reminders on time.

It sleeps until the next due time (asked of Postgres, so clocks agree), and LISTEN/NOTIFY wakes it
early when the schedule changes. Due rows are claimed with a lease (FOR UPDATE SKIP LOCKED), so
replicas never send the same reminder twice while both are alive; a replica that dies lets its
lease lapse and another one retries.

Events go through the transactional outbox, never straight to the broker: after the external
channels (e-mail, webhook) are tried, one transaction marks the row done and writes
`reminder.fired` (the in-app channel, on task-updates) and `reminder.delivered`/`reminder.failed`
(audit-events). A crash before that commit re-sends after the lease lapses: a duplicate e-mail is
possible (it carries the same Message-ID), a lost reminder or a lost event is not.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg
from prometheus_client import CollectorRegistry, Counter, Histogram

from consumers.common.settings import ConsumerSettings
from consumers.notification import schedule
from consumers.notification.channels import Channel, ChannelError, Recipient
from consumers.notification.schedule import DueReminder
from domain.events import EventType, Topic, task_subject
from domain.store import Meta, Outbox, transaction

log = logging.getLogger(__name__)

SOURCE = "/todo-agent/notification"
IN_APP = "in_app"
_SAFETY_POLL_S = 30.0


class DeliveryMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.outcomes = Counter(
            "reminders_total", "Reminders finished, by outcome", ["outcome"], registry=registry
        )
        self.channel_failures = Counter(
            "reminder_channel_failures_total",
            "Failed channel attempts",
            ["channel"],
            registry=registry,
        )
        self.lateness = Histogram(
            "reminder_lateness_seconds",
            "From the reminder's fire time to its recorded outcome",
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300),
            registry=registry,
        )


@dataclass(frozen=True, slots=True)
class Outcome:
    delivered: list[str]
    failed: dict[str, str]


class Deliverer:
    def __init__(
        self,
        pool: asyncpg.Pool,
        channels: dict[str, Channel],
        cfg: ConsumerSettings,
        metrics: DeliveryMetrics,
    ) -> None:
        self.pool = pool
        self.channels = channels
        self.cfg = cfg
        self.metrics = metrics

    async def recipient(self, user_id: uuid.UUID) -> Recipient | None:
        row = await self.pool.fetchrow(
            "SELECT email, timezone, locale, reminder_channels AS channels, webhook_url"
            " FROM app.users WHERE id = $1",
            user_id,
        )
        if row is None:
            return None
        channels = tuple(row["channels"])
        return Recipient(
            user_id, row["email"], row["timezone"], row["locale"], channels, row["webhook_url"]
        )

    async def _try(self, channel: Channel, reminder: DueReminder, to: Recipient) -> str | None:
        """None when sent; the last error after the retries otherwise. Never raises (but on
        cancellation): any exception of the channel counts as a failed attempt."""
        error = "not attempted"
        for attempt in range(self.cfg.delivery_retries + 1):
            if attempt:
                await asyncio.sleep(self.cfg.delivery_backoff_s * 2 ** (attempt - 1))
            try:
                await channel.send(reminder, to)
                return None
            except ChannelError as exc:
                error = str(exc)
            except Exception as exc:
                # A bug in a channel is a failed attempt too: escaping here would abandon the
                # claim, and the reminder would be retried every lease, forever, with no outcome.
                log.exception(
                    "channel %s raised unexpectedly",
                    channel.name,
                    extra={"reminder_id": str(reminder.reminder_id), "attempt": attempt + 1},
                )
                error = f"{type(exc).__name__}: {exc}"
            self.metrics.channel_failures.labels(channel.name).inc()
        return error

    async def deliver(self, reminder: DueReminder) -> None:
        to = await self.recipient(reminder.user_id)
        if to is None:
            async with self.pool.acquire() as conn:
                await schedule.finish(conn, reminder, delivered=False, error="account deleted")
            return
        external = [self.channels[c] for c in to.channels if c in self.channels]
        errors = await asyncio.gather(*(self._try(c, reminder, to) for c in external))
        outcome = Outcome(
            delivered=[c.name for c, e in zip(external, errors, strict=True) if e is None],
            failed={c.name: e for c, e in zip(external, errors, strict=True) if e is not None},
        )
        if IN_APP in to.channels:
            outcome.delivered.append(IN_APP)
        if await self._record(reminder, to, outcome):
            lateness = (datetime.now(UTC) - reminder.fire_at).total_seconds()
            self.metrics.lateness.observe(max(0.0, lateness))
            self.metrics.outcomes.labels("failed" if outcome.failed else "delivered").inc()

    async def _record(self, reminder: DueReminder, to: Recipient, outcome: Outcome) -> bool:
        meta = Meta(correlation_id=reminder.correlation_id, source=SOURCE)
        subject = task_subject(reminder.task_id)
        base = {
            "task_id": str(reminder.task_id),
            "reminder_id": str(reminder.reminder_id),
            "fire_at": reminder.fire_at.isoformat(),
        }
        now = datetime.now(UTC).isoformat()
        async with transaction(self.pool) as conn:
            outbox = Outbox(conn)
            error = "; ".join(f"{k}: {v}" for k, v in outcome.failed.items()) or None
            if not await schedule.finish(conn, reminder, delivered=not outcome.failed, error=error):
                return False  # cancelled meanwhile, or another replica took over the claim
            if IN_APP in outcome.delivered:
                fired = {
                    **base,
                    "title": reminder.title,
                    "due": reminder.due.isoformat() if reminder.due else None,
                    "fired_at": now,
                }
                await outbox.emit(
                    to.user_id, Topic.TASK_UPDATES, EventType.REMINDER_FIRED, subject, fired, meta
                )
            result: dict[str, Any] = {**base, "finished_at": now, "channels": outcome.delivered}
            if outcome.failed:
                result["errors"] = outcome.failed
            type_ = EventType.REMINDER_FAILED if outcome.failed else EventType.REMINDER_DELIVERED
            await outbox.emit(to.user_id, Topic.AUDIT_EVENTS, type_, subject, result, meta)
            return True


class Scheduler:
    def __init__(self, pool: asyncpg.Pool, deliverer: Deliverer, cfg: ConsumerSettings) -> None:
        self.pool = pool
        self.deliverer = deliverer
        self.cfg = cfg
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._inflight: set[asyncio.Task[None]] = set()

    def wake(self, *_: object) -> None:
        self._wake.set()

    async def stop(self) -> None:
        self._stopping.set()
        self._wake.set()

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                async with self.pool.acquire() as listener:
                    await listener.add_listener(schedule.CHANNEL, self.wake)
                    try:
                        await self._loop()
                    finally:
                        with contextlib.suppress(Exception):
                            await listener.remove_listener(schedule.CHANNEL, self.wake)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("scheduler lost the database; retrying in 1s", exc_info=exc)
                await self._sleep(1.0)
        if self._inflight:  # let deliveries under way finish and record their outcome
            await asyncio.wait(self._inflight, timeout=self.cfg.claim_lease_s)

    async def _loop(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            free = self.cfg.delivery_concurrency - len(self._inflight)
            if free <= 0:
                await asyncio.wait(self._inflight, return_when=asyncio.FIRST_COMPLETED)
                continue
            due = await schedule.claim_due(
                self.pool, min(free, self.cfg.claim_batch), self.cfg.claim_lease_s
            )
            for reminder in due:
                task = asyncio.create_task(self._deliver(reminder))
                self._inflight.add(task)
                task.add_done_callback(self._inflight.discard)
            if due:
                continue
            wait = await schedule.seconds_until_next(self.pool)
            timeout = _SAFETY_POLL_S if wait is None else min(max(wait, 0.0), _SAFETY_POLL_S)
            if timeout > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout)

    async def _deliver(self, reminder: DueReminder) -> None:
        try:
            await self.deliverer.deliver(reminder)
        except Exception:
            # The claim lapses and the reminder is tried again; nothing is lost.
            log.exception("delivery failed", extra={"reminder_id": str(reminder.reminder_id)})

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)
