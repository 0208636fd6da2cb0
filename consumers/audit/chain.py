"""The hash chain: entry n stores sha256(hash of entry n-1 + canonical JSON of entry n).

The canonical JSON is stored verbatim and is what gets hashed, so verification never depends on
how Postgres re-serialises JSON. The filter columns are copies; verification checks them too.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg

from domain.events import CloudEvent

GENESIS = "0" * 64
# One writer at a time extends the chain, whichever replica it runs in.
_CHAIN_LOCK = 7_242_011


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def link_hash(prev_hash: str, entry: str) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + entry.encode()).hexdigest()


def _task_id(event: CloudEvent) -> uuid.UUID | None:
    kind, _, value = event.subject.partition("/")
    if kind != "task":
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _entry(topic: str, event: CloudEvent, recorded_at: datetime) -> dict[str, Any]:
    return {
        "topic": topic,
        "recorded_at": recorded_at.isoformat(),
        "event": event.model_dump(mode="json", exclude_none=True),
    }


async def append(conn: asyncpg.Connection, topic: str, event: CloudEvent) -> bool:
    """Append one event; False if it is in the log already."""
    return await append_many(conn, [(topic, event)]) == 1


async def append_many(conn: asyncpg.Connection, items: list[tuple[str, CloudEvent]]) -> int:
    """Append events in order, skipping those already logged; returns how many were new.

    One transaction and one insert for the lot: a batch costs about what a single event does.
    """
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _CHAIN_LOCK)
        logged = {
            r["event_id"]
            for r in await conn.fetch(
                "SELECT event_id FROM audit.log WHERE event_id = ANY($1::text[])",
                [event.id for _, event in items],
            )
        }
        prev = await conn.fetchval("SELECT hash FROM audit.log ORDER BY seq DESC LIMIT 1")
        prev = prev or GENESIS
        rows: list[tuple[object, ...]] = []
        for topic, event in items:
            if event.id in logged:
                continue  # a redelivery, possibly within this very batch
            logged.add(event.id)
            recorded_at = datetime.now(UTC)
            entry = canonical_json(_entry(topic, event, recorded_at))
            digest = link_hash(prev, entry)
            rows.append(
                (
                    event.id,
                    topic,
                    event.type,
                    event.userid,
                    _task_id(event),
                    event.time,
                    recorded_at,
                    entry,
                    prev,
                    digest,
                )
            )
            prev = digest
        if rows:
            columns = list(zip(*rows, strict=True))
            await conn.execute(
                """
                INSERT INTO audit.log (event_id, topic, type, user_id, task_id, occurred_at,
                                       recorded_at, entry, prev_hash, hash)
                SELECT e, t, ty, u, ta, o, r, en, p, h
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::uuid[],
                            $6::timestamptz[], $7::timestamptz[], $8::text[], $9::text[],
                            $10::text[])
                     WITH ORDINALITY AS x(e, t, ty, u, ta, o, r, en, p, h, n)
                ORDER BY n
                """,
                *columns,
            )
        return len(rows)


@dataclass(frozen=True, slots=True)
class Break:
    seq: int
    reason: str


@dataclass(frozen=True, slots=True)
class Verification:
    entries: int
    head: str
    breaks: list[Break]

    @property
    def ok(self) -> bool:
        return not self.breaks


async def _rows(conn: asyncpg.Connection, batch: int) -> AsyncIterator[asyncpg.Record]:
    after = 0
    while True:
        rows = await conn.fetch(
            "SELECT seq, event_id, topic, type, user_id, task_id, occurred_at, recorded_at,"
            " entry, prev_hash, hash FROM audit.log WHERE seq > $1 ORDER BY seq LIMIT $2",
            after,
            batch,
        )
        if not rows:
            return
        for row in rows:
            yield row
        after = rows[-1]["seq"]


def _columns_match(row: asyncpg.Record, entry: dict[str, Any]) -> bool:
    event = entry.get("event", {})
    event_task = _task_id(CloudEvent.model_validate(event)) if event else None
    return (
        row["event_id"] == event.get("id")
        and row["topic"] == entry.get("topic")
        and row["type"] == event.get("type")
        and row["user_id"] == event.get("userid")
        and row["task_id"] == event_task
        and row["recorded_at"] == datetime.fromisoformat(entry["recorded_at"])
        and row["occurred_at"] == datetime.fromisoformat(event["time"].replace("Z", "+00:00"))
    )


async def verify(
    conn: asyncpg.Connection, *, batch: int = 2000, max_breaks: int = 20
) -> Verification:
    """Walk the whole chain in order; report where it breaks (up to `max_breaks` places)."""
    prev = GENESIS
    count = 0
    breaks: list[Break] = []
    async for row in _rows(conn, batch):
        count += 1
        if row["prev_hash"] != prev:
            breaks.append(Break(row["seq"], "prev_hash does not match the previous entry's hash"))
        if link_hash(row["prev_hash"], row["entry"]) != row["hash"]:
            breaks.append(Break(row["seq"], "hash does not match the entry's content"))
        try:
            matches = _columns_match(row, json.loads(row["entry"]))
        except (ValueError, KeyError, TypeError):
            matches = False
        if not matches:
            breaks.append(Break(row["seq"], "columns differ from the hashed entry"))
        prev = row["hash"]
        if len(breaks) >= max_breaks:
            break
    return Verification(count, prev, breaks)
