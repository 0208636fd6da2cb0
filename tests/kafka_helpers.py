"""Reading what really reached the broker."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

from aiokafka import AIOKafkaConsumer


async def collect(
    bootstrap: str,
    topic: str,
    *,
    user_id: str,
    count: int,
    timeout_s: float = 20.0,
) -> list[dict[str, Any]]:
    """The first `count` events of one user on a topic, read from the beginning, in order."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"test-{uuid.uuid4().hex}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
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
