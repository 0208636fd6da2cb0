"""Reading the caller's audit trail (the audit consumer writes `audit.log`; this only reads it)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

from domain.store import cursor as cursor_codec
from domain.store.db import Db

_MAX_SEQ = 2**63 - 1  # audit.log.seq is a bigint; a larger number is no position in the log


class AuditEntry(BaseModel):
    seq: int
    event_id: str
    topic: str
    type: str
    task_id: uuid.UUID | None
    time: datetime
    recorded_at: datetime
    hash: str
    prev_hash: str
    event: dict[str, Any]


@dataclass(frozen=True, slots=True)
class AuditQuery:
    task_id: uuid.UUID | None = None
    types: list[str] = field(default_factory=list)
    since: datetime | None = None  # event time, inclusive (UTC)
    until: datetime | None = None  # event time, exclusive (UTC)
    order: Literal["desc", "asc"] = "desc"  # by log position


class AuditPage(BaseModel):
    items: list[AuditEntry]
    next_cursor: str | None


class AuditLog:
    def __init__(self, db: Db) -> None:
        self.db = db

    async def page(
        self, user_id: uuid.UUID, query: AuditQuery, *, limit: int = 50, cursor: str | None = None
    ) -> AuditPage:
        where = ["user_id = $1"]
        args: list[Any] = [str(user_id)]

        def arg(value: Any) -> str:
            args.append(value)
            return f"${len(args)}"

        if query.task_id is not None:
            where.append(f"task_id = {arg(query.task_id)}")
        if query.types:
            where.append(f"type = ANY({arg(query.types)}::text[])")
        if query.since is not None:
            where.append(f"occurred_at >= {arg(query.since)}")
        if query.until is not None:
            where.append(f"occurred_at < {arg(query.until)}")
        if cursor is not None:
            where.append(f"seq {'<' if query.order == 'desc' else '>'} {arg(_decode(cursor))}")
        rows = await self.db.fetch(
            "SELECT seq, event_id, topic, type, task_id, occurred_at, recorded_at, hash,"
            f" prev_hash, entry FROM audit.log WHERE {' AND '.join(where)}"
            f" ORDER BY seq {query.order.upper()} LIMIT {arg(limit + 1)}",
            *args,
        )
        items = [
            AuditEntry(
                seq=r["seq"],
                event_id=r["event_id"],
                topic=r["topic"],
                type=r["type"],
                task_id=r["task_id"],
                time=r["occurred_at"],
                recorded_at=r["recorded_at"],
                hash=r["hash"],
                prev_hash=r["prev_hash"],
                event=json.loads(r["entry"])["event"],
            )
            for r in rows[:limit]
        ]
        more = len(rows) > limit
        next_cursor = cursor_codec.encode("audit", str(items[-1].seq)) if more else None
        return AuditPage(items=items, next_cursor=next_cursor)


def _decode(cursor: str) -> int:
    (seq,) = cursor_codec.decode("audit", cursor, 1)
    try:
        position = int(seq)
    except ValueError as exc:
        raise cursor_codec.refused() from exc
    if not 0 <= position <= _MAX_SEQ:
        raise cursor_codec.refused()
    return position
