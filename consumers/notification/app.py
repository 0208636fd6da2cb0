"""The notification FastStream app: the `reminders` subscriber plus the scheduler that fires."""

from __future__ import annotations

import asyncio

import httpx

from consumers.common.idempotency import first_delivery
from consumers.common.runtime import Runtime
from consumers.notification import schedule
from consumers.notification.channels import Channel, EmailChannel, WebhookChannel
from consumers.notification.scheduler import Deliverer, DeliveryMetrics, Scheduler
from domain.events import CloudEvent, Topic


class NotificationApp:
    name = "notification"

    def __init__(self) -> None:
        self.scheduler: Scheduler | None = None
        self._task: asyncio.Task[None] | None = None
        self._http: httpx.AsyncClient | None = None

    def register(self, rt: Runtime) -> None:
        @rt.broker.subscriber(Topic.REMINDERS.value, **rt.subscriber_options())
        async def on_reminder_event(event: CloudEvent) -> None:
            async with rt.pool.acquire() as conn, conn.transaction():
                if await first_delivery(conn, "notification", event.id):
                    await schedule.apply_event(conn, event)

    async def start(self, rt: Runtime) -> None:
        self._http = httpx.AsyncClient(timeout=rt.consumer.webhook_timeout_s)
        channels: dict[str, Channel] = {
            "email": EmailChannel(rt.settings, rt.consumer.smtp_timeout_s),
            "webhook": WebhookChannel(
                self._http, allow_private=rt.consumer.webhook_allow_private_networks
            ),
        }
        deliverer = Deliverer(rt.pool, channels, rt.consumer, DeliveryMetrics(rt.registry))
        self.scheduler = Scheduler(rt.pool, deliverer, rt.consumer)
        self._task = asyncio.create_task(self.scheduler.run())

    async def stop(self) -> None:
        if self.scheduler is not None and self._task is not None:
            await self.scheduler.stop()
            await self._task
        if self._http is not None:
            await self._http.aclose()
