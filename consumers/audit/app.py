"""The audit FastStream app: one batch subscriber on all four topics, one chained entry per event.

Batches, because the audit consumer sees every event of the system: one transaction and one
offset commit per batch instead of per event (per-event commits capped it near 450 events/s
here). Each record is validated on its own, so one malformed record goes to the DLQ alone while
the rest of its batch is logged; a failure of the batch as a whole is retried, and the insert
skips what an earlier attempt already logged.
"""

from __future__ import annotations

from aiokafka import ConsumerRecord
from faststream.kafka import KafkaMessage
from pydantic import ValidationError

from consumers.audit import chain
from consumers.common.dead_letter import describe
from consumers.common.runtime import Runtime
from domain.events import CloudEvent, Topic

TOPICS = (Topic.TASK_EVENTS, Topic.REMINDERS, Topic.TASK_UPDATES, Topic.AUDIT_EVENTS)


async def _raw_bodies(msg: object) -> object:
    # The records are parsed one by one in the handler, where a bad one can be set aside.
    return None


class AuditApp:
    name = "audit"

    def register(self, rt: Runtime) -> None:
        @rt.broker.subscriber(
            *(t.value for t in TOPICS),
            batch=True,
            max_records=rt.consumer.audit_batch,
            batch_timeout_ms=rt.consumer.fetch_max_wait_ms,
            decoder=_raw_bodies,
            **rt.subscriber_options(),
        )
        async def record(message: KafkaMessage) -> None:
            records: tuple[ConsumerRecord[bytes, bytes], ...] = message.raw_message
            events: list[tuple[str, CloudEvent]] = []
            for rec in records:
                try:
                    events.append((rec.topic, CloudEvent.model_validate_json(rec.value or b"")))
                except ValidationError as exc:
                    await rt.dead_letter.dead_letter(rec, describe(exc), attempts=1)
            if events:
                async with rt.pool.acquire() as conn:
                    await chain.append_many(conn, events)

    async def start(self, rt: Runtime) -> None:
        return None

    async def stop(self) -> None:
        return None
