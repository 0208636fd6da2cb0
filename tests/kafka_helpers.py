"""Reading what really reached the broker."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition


async def collect(
    bootstrap: str,
    topic: str,
    *,
    user_id: str,
    count: int,
    timeout_s: float = 20.0,
) -> list[dict[str, Any]]:
    """The first `count` events of one user on a topic, read from the beginning, in order."""
    # Assigned partitions, no group: joining a consumer group costs seconds on every call.
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
    if not partitions:
        await consumer._client.force_metadata_update()
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
    consumer.assign(partitions)
    await consumer.seek_to_beginning(*partitions)
    found: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout_s
    try:
        while len(found) < count and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                for record in records:
                    if record.key == user_id.encode():
                        event = json.loads(record.value)
                        event["_headers"] = {k: v.decode() for k, v in record.headers}
                        found.append(event)
            await asyncio.sleep(0)
    finally:
        await consumer.stop()
    return found
