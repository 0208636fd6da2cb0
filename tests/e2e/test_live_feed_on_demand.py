"""The API's task-updates feed reads only while a socket wants it, and a socket that resumes it
still gets every event committed after it connected."""

from __future__ import annotations

import asyncio
import json
import uuid

from aiokafka import AIOKafkaProducer
from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from api.routes.ws import LiveFeed, attach_live_updates
from domain.events import EventType, Topic, new_event, task_subject


async def _send(bootstrap: str, user_id: str) -> str:
    event = new_event(EventType.TASK_CREATED, user_id=uuid.UUID(user_id),
                      subject=task_subject(uuid.uuid4()), data={"task": {}})  # fmt: skip
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(Topic.TASK_UPDATES.value, event.model_dump_json().encode(),
                                     key=user_id.encode())  # fmt: skip
    finally:
        await producer.stop()
    return event.id


async def _started(bootstrap: str) -> tuple[KafkaBroker, LiveFeed]:
    broker = KafkaBroker(bootstrap, logger=None)
    feed = attach_live_updates(FastAPI(), broker)
    feed.idle_pause_s = 0.2
    await broker.start()
    feed.pause()
    return broker, feed


async def test_a_paused_feed_fetches_nothing_and_a_socket_resumes_it(bootstrap: str) -> None:
    broker, feed = await _started(bootstrap)
    user = str(uuid.uuid4())
    try:
        consumer = feed.subscriber.consumer
        assert feed.paused
        assert consumer.paused() == consumer.assignment()
        unseen = await _send(bootstrap, user)
        await asyncio.sleep(0.5)
        assert unseen not in feed.hub._feed(user).replay  # nobody watching: not even read

        await feed.wanted()  # what a socket does before it is accepted
        with feed.hub.subscribe(user, None) as sub:
            assert not feed.paused
            assert not consumer.paused()
            seen = await _send(bootstrap, user)
            event_id, text = await asyncio.wait_for(sub.socket.queue.get(), 10)
            assert (event_id, json.loads(text)["id"]) == (seen, seen)
        feed.unwanted()  # the last socket left: pause after the idle grace
        await asyncio.sleep(0.5)
        assert feed.paused
        assert consumer.paused() == consumer.assignment()
    finally:
        await broker.stop()


async def test_a_socket_arriving_within_the_grace_keeps_the_feed_running(bootstrap: str) -> None:
    broker, feed = await _started(bootstrap)
    try:
        await feed.wanted()
        with feed.hub.subscribe(str(uuid.uuid4()), None):
            pass
        feed.unwanted()
        await feed.wanted()  # a reload: back before the grace ends
        await asyncio.sleep(0.4)
        assert not feed.paused
    finally:
        await broker.stop()
