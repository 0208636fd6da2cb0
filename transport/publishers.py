"""Where the outbox relay sends events: Kafka through FastStream, or the Dapr sidecar's publish API.

Both send the same CloudEvent body (structured mode), so consumers cannot tell the paths apart.
A publisher either publishes a whole batch, in order per key, or raises `PublishError`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Protocol

import httpx
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from domain.events import ALL_TOPICS

log = logging.getLogger(__name__)

CLOUDEVENTS_JSON = "application/cloudevents+json"


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    topic: str
    key: str
    body: bytes  # the CloudEvent as JSON, as the outbox keeps it: sent on without a re-encode
    type: str  # the event's type, for what an error says


class PublishError(Exception):
    """The transport did not take the batch; nothing is marked sent."""


class EventPublisher(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def publish_batch(self, messages: Sequence[OutboundMessage]) -> None: ...
    async def ping(self) -> bool: ...


async def ensure_topics(
    bootstrap: str, topics: Iterable[str] = ALL_TOPICS, *, partitions: int = 6
) -> None:
    """Create the topics we use. Tansu (and many managed clusters) do not auto-create them."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in topics if t not in existing]
        if not missing:
            return
        # Another process may win the race to create them; that is fine.
        with contextlib.suppress(TopicAlreadyExistsError):
            await admin.create_topics(
                [NewTopic(t, num_partitions=partitions, replication_factor=1) for t in missing]
            )
    finally:
        await admin.close()


class KafkaPublisher:
    """aiokafka's producer, used directly: FastStream's `broker.publish` builds a command, runs
    its middleware chain and makes headers (a correlation id of its own) for every message,
    which cost the relay more than the send itself; the relay needs none of it. The messages are
    the same: the CloudEvent body and its content type."""

    def __init__(self, bootstrap: str, *, timeout_s: float = 5.0) -> None:
        self.bootstrap = bootstrap
        self.timeout_s = timeout_s
        self._producer: AIOKafkaProducer | None = None
        self._topics_ready = False

    async def start(self) -> None:
        # A new producer per start: one whose start failed cannot be started again.
        producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap,
            request_timeout_ms=int(self.timeout_s * 1000),
            acks="all",
            linger_ms=2,
            client_id="todo-agent-relay",
        )
        await producer.start()
        self._producer = producer

    async def stop(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            await producer.stop()

    async def publish_batch(self, messages: Sequence[OutboundMessage]) -> None:
        producer = self._producer
        if producer is None:
            raise PublishError("the Kafka producer is not started")
        try:
            if not self._topics_ready:
                await ensure_topics(self.bootstrap)
                self._topics_ready = True
            # Fire all sends first and await them together: aiokafka keeps per-partition order,
            # and waiting for each ack in turn would cap the relay at one round trip per event.
            futures = [
                await producer.send(m.topic, m.body, key=m.key.encode(), headers=_HEADERS)
                for m in messages
            ]
            await asyncio.gather(*futures)
        except (KafkaError, OSError, TimeoutError) as exc:
            # A restarted broker may have lost its topics (Tansu keeps nothing): recreate them
            # before the next attempt.
            self._topics_ready = False
            raise PublishError(f"Kafka did not take the batch: {exc!r}") from exc

    async def ping(self) -> bool:
        producer = self._producer
        if producer is None:
            return False
        try:
            await asyncio.wait_for(producer.client.fetch_all_metadata(), 2.0)
        except Exception:
            return False
        return True


_HEADERS = [("content-type", CLOUDEVENTS_JSON.encode())]


class DaprPublisher:
    """Publishes through the sidecar's HTTP API; Dapr forwards a CloudEvent body unwrapped."""

    def __init__(
        self, endpoint: str, pubsub: str, *, api_token: str | None = None, timeout_s: float = 5.0
    ) -> None:
        headers = {"dapr-api-token": api_token} if api_token else {}
        self.pubsub = pubsub
        self.client = httpx.AsyncClient(base_url=endpoint, headers=headers, timeout=timeout_s)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        await self.client.aclose()

    async def _publish_one(self, m: OutboundMessage) -> None:
        response = await self.client.post(
            f"/v1.0/publish/{self.pubsub}/{m.topic}",
            params={"metadata.partitionKey": m.key},
            content=m.body,
            headers={"content-type": CLOUDEVENTS_JSON},
        )
        if response.status_code != 204:
            raise PublishError(
                f"Dapr refused {m.type} to {m.topic}: {response.status_code} {response.text[:200]}"
            )

    async def _publish_key(self, messages: list[OutboundMessage]) -> None:
        for m in messages:  # one user's events go one after another to keep their order
            await self._publish_one(m)

    async def publish_batch(self, messages: Sequence[OutboundMessage]) -> None:
        by_key = sorted(enumerate(messages), key=lambda im: (im[1].key, im[0]))
        groups = [[m for _, m in g] for _, g in groupby(by_key, key=lambda im: im[1].key)]
        try:
            await asyncio.gather(*(self._publish_key(g) for g in groups))
        except httpx.HTTPError as exc:
            raise PublishError(f"the Dapr sidecar is unreachable: {exc!r}") from exc

    async def ping(self) -> bool:
        try:
            response = await self.client.get("/v1.0/healthz/outbound")
        except httpx.HTTPError:
            return False
        return response.status_code == 204
