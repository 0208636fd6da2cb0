"""`todo-agent dlq replay <topic>`: put dead-lettered messages back on their topic.

Reads `<topic>.dlq` in its own consumer group up to the end offsets seen at the start, republishes
each original body and key (with the `x-dlq-*` headers dropped), and commits as it goes, so a
second replay does not send the same messages again.
"""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from domain.events import Topic

GROUP = "todo-agent-dlq-replay"


def source_topic(name: str) -> str:
    topic = name.removesuffix(".dlq")
    known = {t.value for t in Topic}
    if topic not in known:
        raise ValueError(f"unknown topic {name!r}; one of: {', '.join(sorted(known))}")
    return topic


async def replay(bootstrap: str, topic: str, *, group_id: str = GROUP) -> int:
    dlq = f"{topic}.dlq"
    consumer = AIOKafkaConsumer(
        dlq,
        bootstrap_servers=bootstrap,
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    await consumer.start()
    replayed = 0
    try:
        while not consumer.assignment():
            await consumer.getmany(timeout_ms=200)
        partitions = list(consumer.assignment())
        ends = await consumer.end_offsets(partitions)
        pending = {tp for tp in partitions if await consumer.position(tp) < ends[tp]}
        while pending:
            batch = await consumer.getmany(*pending, timeout_ms=500)
            for tp, records in batch.items():
                for record in records:
                    if record.offset >= ends[tp]:
                        continue
                    headers = [(k, v) for k, v in record.headers if not k.startswith("x-dlq-")]
                    await producer.send_and_wait(
                        topic, record.value, key=record.key, headers=headers
                    )
                    replayed += 1
            await consumer.commit()
            pending = {tp for tp in pending if await consumer.position(tp) < ends[tp]}
    finally:
        await consumer.stop()
        await producer.stop()
    return replayed
