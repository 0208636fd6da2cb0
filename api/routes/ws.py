"""Live updates: `/v1/ws` pushes each task-updates event to its user's open sockets.

Auth: a JWT as `?token=`, as `Sec-WebSocket-Protocol: bearer, <jwt>` (browsers cannot set
headers on a WebSocket), or as `Authorization: Bearer <jwt>`.

Resuming: a client reconnecting with `?last_event_id=` (or a `Last-Event-ID` header) first gets
what it missed: from a bounded in-memory replay buffer per user in this API process, or, when the
id is not there (an API restart, another replica, a long absence), from the outbox in Postgres,
which keeps published events for a day. Only when neither has it (or too much was missed) does
the socket say `{"type": "resync"}` first, and the client refetches over REST.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from fastapi import APIRouter, FastAPI, WebSocket
from faststream.kafka import KafkaBroker
from faststream.message import StreamMessage

from api.credentials import authenticate
from api.openapi import StrictQueryRoute
from api.security import InvalidToken
from api.services import Services
from domain.events import Topic
from domain.store import NotFound, Outbox

log = logging.getLogger(__name__)

router = APIRouter(tags=["live"], route_class=StrictQueryRoute)

POLICY_VIOLATION = 1008
_SUBPROTOCOL = "bearer"


@dataclass
class _Socket:
    queue: asyncio.Queue[tuple[str, str]]  # (event id, event JSON)
    overflowed: bool = False


@dataclass
class Subscription:
    socket: _Socket
    backlog: list[str]
    gap: bool


@dataclass
class _UserFeed:
    replay: OrderedDict[str, str] = field(default_factory=OrderedDict)
    sockets: set[int] = field(default_factory=set)


class LiveHub:
    """Per user: the open sockets and the last `replay_size` events, in arrival order."""

    def __init__(
        self, *, replay_size: int = 500, max_users: int = 10_000, queue_size: int = 1000
    ) -> None:
        self.replay_size = replay_size
        self.max_users = max_users
        self.queue_size = queue_size
        self._feeds: OrderedDict[str, _UserFeed] = OrderedDict()
        self._sockets: dict[int, _Socket] = {}

    def _feed(self, user_id: str) -> _UserFeed:
        feed = self._feeds.get(user_id)
        if feed is None:
            feed = self._feeds[user_id] = _UserFeed()
        self._feeds.move_to_end(user_id)
        while len(self._feeds) > self.max_users:
            oldest, old = next(iter(self._feeds.items()))
            if old.sockets:  # never forget a user who is connected
                break
            del self._feeds[oldest]
        return feed

    def publish(self, event_id: str, user_id: str, text: str) -> None:
        """One CloudEvent, as the JSON text that came off the broker (sent on as it is)."""
        feed = self._feed(user_id)
        if event_id in feed.replay:
            return  # a redelivered event: sockets have it already
        feed.replay[event_id] = text
        while len(feed.replay) > self.replay_size:
            feed.replay.popitem(last=False)
        for key in feed.sockets:
            socket = self._sockets[key]
            try:
                socket.queue.put_nowait((event_id, text))
            except asyncio.QueueFull:
                socket.overflowed = True  # a stalled client resyncs rather than missing events

    @contextlib.contextmanager
    def subscribe(self, user_id: str, last_event_id: str | None) -> Iterator[Subscription]:
        # No await between reading the backlog and registering: nothing slips in between.
        feed = self._feed(user_id)
        socket = _Socket(asyncio.Queue(self.queue_size))
        backlog: list[str] = []
        gap = False
        if last_event_id:
            ids = list(feed.replay)
            if last_event_id in feed.replay:
                start = ids.index(last_event_id) + 1
                backlog = [feed.replay[i] for i in ids[start:]]
            else:
                gap = True
        key = id(socket)
        self._sockets[key] = socket
        feed.sockets.add(key)
        try:
            yield Subscription(socket, backlog, gap)
        finally:
            feed.sockets.discard(key)
            del self._sockets[key]

    def sockets_open(self) -> int:
        return len(self._sockets)

    def connected(self, user_id: str) -> int:
        feed = self._feeds.get(user_id)
        return len(feed.sockets) if feed else 0


async def _texts(msg: StreamMessage[Any]) -> list[str]:
    # A batch of structured-mode CloudEvents (`application/cloudevents+json`, which FastStream
    # would not decode as JSON by itself), kept as text: the sockets get them byte for byte.
    # A batch subscriber's body is the list of the messages' bodies (typed as one body).
    bodies = cast(list[bytes], msg.body)
    return [body.decode() for body in bodies]


class LiveFeed:
    """This process's reading of task-updates, paused while it has no socket to feed.

    Every replica would otherwise fetch and parse every change of every user all the time (and
    the embedded broker answers each short poll): measured as a tenth of an API worker's CPU per
    task creation with nobody watching. A socket resumes the feed before it is accepted, at the
    topic's end, so it gets every event committed after it connected; what came before is the
    replay buffer's or the outbox's, as for a reconnect. The feed pauses `idle_pause_s` after the
    last socket leaves, so a page reload does not pause and resume it.
    """

    def __init__(self, hub: LiveHub, *, idle_pause_s: float = 30.0) -> None:
        self.hub = hub
        self.idle_pause_s = idle_pause_s
        self.subscriber: Any = None  # FastStream's Kafka batch subscriber (set by attach)
        self.paused = False
        self._lock = asyncio.Lock()
        self._pause_later: asyncio.TimerHandle | None = None

    def _partitions(self) -> list[Any]:
        consumer = self.subscriber.consumer if self.subscriber is not None else None
        return list(consumer.assignment()) if consumer is not None else []

    def pause(self) -> None:
        """Stop fetching (the consumer stays connected and keeps its assignment)."""
        self._pause_later = None
        if self.hub.sockets_open() or not (partitions := self._partitions()):
            return
        self.subscriber.consumer.pause(*partitions)
        self.paused = True

    async def wanted(self) -> None:
        """A socket is about to open: read from now on (resume at the end of every partition)."""
        if self._pause_later is not None:
            self._pause_later.cancel()
            self._pause_later = None
        async with self._lock:
            if not self.paused:
                return
            consumer = self.subscriber.consumer
            partitions = self._partitions()
            await consumer.seek_to_end(*partitions)
            for tp in partitions:  # fix each position now, before the socket is accepted
                await consumer.position(tp)
            consumer.resume(*partitions)
            self.paused = False

    def unwanted(self) -> None:
        """A socket closed: pause after a while if it was the last one."""
        if self.hub.sockets_open() or self._pause_later is not None:
            return
        self._pause_later = asyncio.get_running_loop().call_later(self.idle_pause_s, self.pause)


def attach_live_updates(app: FastAPI, broker: KafkaBroker) -> LiveFeed:
    """Subscribe this API process to task-updates (before the broker starts; `pause()` it once
    the broker has started).

    No consumer group: every API replica must see every event, and a live feed starts at the
    latest offset; missed history is the outbox's (see the module docstring). Every replica reads
    every change of every user, so the feed takes whole fetched batches: one handler call per
    batch, and no model validation of events it only forwards.
    """
    hub = LiveHub()
    feed = LiveFeed(hub)
    app.state.live_hub = hub
    app.state.live_feed = feed

    async def fan_out(texts: list[str]) -> None:
        for text in texts:
            try:
                event = json.loads(text)
                hub.publish(event["id"], event["userid"], text)
            except (ValueError, KeyError, TypeError):
                log.warning("task-updates: not a CloudEvent, not forwarded: %.200s", text)

    # Short waits: the broker answers an idle fetch only after `fetch_max_wait_ms`, and an empty
    # batch makes FastStream sleep `batch_timeout_ms` before it asks again; every millisecond of
    # either is latency a user sees (200 ms by default: measured as commit-to-socket p95).
    feed.subscriber = broker.subscriber(
        Topic.TASK_UPDATES.value,
        auto_offset_reset="latest",
        decoder=_texts,
        fetch_max_wait_ms=20,
        batch=True,
        batch_timeout_ms=10,
        max_records=1000,
    )
    feed.subscriber(fan_out)
    return feed


def _credentials(websocket: WebSocket, token: str | None) -> tuple[str | None, str | None]:
    """(token, subprotocol to accept with)."""
    if token:
        return token, None
    offered = [p.strip() for p in websocket.headers.get("sec-websocket-protocol", "").split(",")]
    if _SUBPROTOCOL in offered:
        rest = [p for p in offered if p and p != _SUBPROTOCOL]
        return (rest[0] if rest else None), _SUBPROTOCOL
    auth = websocket.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip(), None
    return None, None


@router.websocket("/v1/ws")
async def live(
    websocket: WebSocket, token: str | None = None, last_event_id: str | None = None
) -> None:
    services = websocket.app.state.services
    hub: LiveHub | None = getattr(websocket.app.state, "live_hub", None)
    raw, subprotocol = _credentials(websocket, token)
    try:
        if raw is None:
            raise InvalidToken("no token")
        user_id: uuid.UUID = (await authenticate(services, raw)).user_id
        await services.users.get(user_id)
    except (InvalidToken, NotFound):
        # Closing before accepting answers the handshake with 403: no socket for strangers.
        await websocket.close(code=POLICY_VIOLATION)
        return
    feed: LiveFeed | None = getattr(websocket.app.state, "live_feed", None)
    if feed is not None:
        await feed.wanted()
    await websocket.accept(subprotocol=subprotocol)
    if hub is None:
        await websocket.send_json({"type": "unavailable", "detail": "no broker configured"})
        await websocket.close()
        return
    resume_from = last_event_id or websocket.headers.get("last-event-id")
    try:
        await _serve(websocket, services, hub, user_id, resume_from)
    finally:
        if feed is not None:
            feed.unwanted()


async def _serve(
    websocket: WebSocket,
    services: Services,
    hub: LiveHub,
    user_id: uuid.UUID,
    resume_from: str | None,
) -> None:
    with hub.subscribe(str(user_id), resume_from) as sub:
        # Subscribed first, then read the history: whatever lands in between is in the queue,
        # and the pump skips what the history already sent.
        backlog = sub.backlog
        if sub.gap and resume_from:
            history = Outbox(services.pool)
            found = await history.updates_after(user_id, resume_from, limit=hub.replay_size)
            if found is None:
                await websocket.send_json({"type": "resync", "last_event_id": resume_from})
            backlog = found or []
        sent: set[str] = set()
        for text in backlog:
            await websocket.send_text(text)
            sent.add(json.loads(text)["id"])
        await _pump(websocket, sub.socket, already_sent=sent)


async def _pump(websocket: WebSocket, socket: _Socket, *, already_sent: set[str]) -> None:
    async def send() -> None:
        while True:
            event_id, text = await socket.queue.get()
            if event_id in already_sent:
                continue
            if socket.overflowed:
                await websocket.send_json({"type": "resync", "reason": "client too slow"})
                socket.overflowed = False
            await websocket.send_text(text)

    async def receive() -> None:
        # Client messages carry nothing we act on; reading them notices the disconnect.
        while (await websocket.receive())["type"] != "websocket.disconnect":
            pass

    tasks = [asyncio.create_task(send()), asyncio.create_task(receive())]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
