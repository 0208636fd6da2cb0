"""The audit FastStream app: one subscriber on all four topics, one chained entry per event."""

from __future__ import annotations

from faststream.kafka import KafkaMessage

from consumers.audit import chain
from consumers.common.runtime import Runtime
from domain.events import CloudEvent, Topic

TOPICS = (Topic.TASK_EVENTS, Topic.REMINDERS, Topic.TASK_UPDATES, Topic.AUDIT_EVENTS)


class AuditApp:
    name = "audit"

    def register(self, rt: Runtime) -> None:
        @rt.broker.subscriber(*(t.value for t in TOPICS), **rt.subscriber_options())
        async def record(event: CloudEvent, message: KafkaMessage) -> None:
            async with rt.pool.acquire() as conn:
                await chain.append(conn, message.raw_message.topic, event)

    async def start(self, rt: Runtime) -> None:
        return None

    async def stop(self) -> None:
        return None
