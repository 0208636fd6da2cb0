"""Bounded retries, then the dead-letter topic: a broker-level FastStream middleware.

FastStream has no Kafka DLQ, and `NACK_ON_ERROR` would re-read a poison message forever. Here a
failing handler is retried with exponential backoff (the partition waits, so order holds); after
the last attempt the original bytes go to `<topic>.dlq` with the error in headers, and the
message is acknowledged so the consumer keeps going. A body that cannot be decoded or validated
would fail the same way every time, so it skips the retries.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pydantic
from aiokafka import ConsumerRecord
from faststream import BaseMiddleware
from faststream.exceptions import HandlerException, NackMessage
from faststream.kafka import KafkaBroker
from faststream.message import StreamMessage
from prometheus_client import CollectorRegistry, Counter

log = logging.getLogger(__name__)

_MAX_ERROR = 2000


class PoisonMessage(ValueError):
    """The event is well-formed JSON but makes no sense to this consumer; retrying cannot help."""


UNRETRYABLE: tuple[type[BaseException], ...] = (
    json.JSONDecodeError,
    UnicodeDecodeError,
    pydantic.ValidationError,
    PoisonMessage,
)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 3
    backoff_s: float = 0.5

    def delay(self, failed_attempt: int) -> float:
        return self.backoff_s * 2 ** (failed_attempt - 1)


class DeadLetterMetrics:
    def __init__(self, registry: CollectorRegistry, consumer: str) -> None:
        self.retries = Counter(
            "consumer_retries_total",
            "Handler attempts that failed and were retried",
            ["consumer", "topic"],
            registry=registry,
        )
        self.dead_lettered = Counter(
            "consumer_dead_lettered_total",
            "Messages sent to a dead-letter topic",
            ["consumer", "topic"],
            registry=registry,
        )
        self.consumer = consumer


class RetryThenDeadLetter:
    """A broker middleware factory; `bind(broker)` before the broker starts."""

    def __init__(self, consumer: str, policy: RetryPolicy, metrics: DeadLetterMetrics) -> None:
        self.consumer = consumer
        self.policy = policy
        self.metrics = metrics
        self.broker: KafkaBroker | None = None

    def bind(self, broker: KafkaBroker) -> None:
        self.broker = broker

    def __call__(self, msg: Any, /, *, context: Any) -> _RetryScope:
        return _RetryScope(msg, context=context, owner=self)

    async def dead_letter(
        self, record: ConsumerRecord[Any, Any], error: str, attempts: int
    ) -> None:
        """Park one record on `<topic>.dlq` with the error; raises NackMessage if it cannot."""
        assert self.broker is not None, "RetryThenDeadLetter.bind(broker) was not called"
        headers = {k: v.decode("utf-8", "replace") for k, v in record.headers or ()}
        headers.update(
            {
                "x-dlq-error": error[:_MAX_ERROR],
                "x-dlq-topic": record.topic,
                "x-dlq-partition": str(record.partition),
                "x-dlq-offset": str(record.offset),
                "x-dlq-attempts": str(attempts),
                "x-dlq-consumer": self.consumer,
            }
        )
        try:
            await self.broker.publish(
                record.value or b"", f"{record.topic}.dlq", key=record.key, headers=headers
            )
        except Exception as publish_error:
            # Acknowledging now would lose the message: rewind and try it all again later.
            log.error("dead-letter publish failed; will re-read", exc_info=publish_error)
            await asyncio.sleep(self.policy.backoff_s)
            raise NackMessage() from publish_error
        self.metrics.dead_lettered.labels(self.consumer, record.topic).inc()
        log.error(
            "message dead-lettered",
            extra={"topic": record.topic, "offset": record.offset, "error": error},
        )


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


class _RetryScope(BaseMiddleware):
    def __init__(self, msg: Any, /, *, context: Any, owner: RetryThenDeadLetter) -> None:
        super().__init__(msg, context=context)
        self.owner = owner

    async def consume_scope(
        self, call_next: Callable[[StreamMessage[Any]], Awaitable[Any]], msg: StreamMessage[Any]
    ) -> Any:
        owner = self.owner
        raw = msg.raw_message
        # A batch subscriber's message is a tuple of records; it is retried and parked whole.
        records: tuple[ConsumerRecord[Any, Any], ...] = raw if isinstance(raw, tuple) else (raw,)
        topic = records[0].topic
        attempt = 0
        while True:
            attempt += 1
            try:
                return await call_next(msg)
            except HandlerException:
                raise  # an explicit ack/nack/reject from the handler
            except Exception as exc:
                final = isinstance(exc, UNRETRYABLE) or attempt >= owner.policy.attempts
                if not final:
                    owner.metrics.retries.labels(owner.consumer, topic).inc()
                    log.warning(
                        "handler failed; retrying",
                        extra={"topic": topic, "offset": records[0].offset, "attempt": attempt},
                        exc_info=exc,
                    )
                    await asyncio.sleep(owner.policy.delay(attempt))
                    continue
                log.error("handler gave up", exc_info=exc)
                for record in records:
                    await owner.dead_letter(record, describe(exc), attempt)
                return None
