"""The caller's own audit trail: filter by task, event type and time; newest first."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.deps import CurrentUser, ServicesDep
from api.schemas import to_utc
from domain.models import Text
from domain.store import InvalidCursor

router = APIRouter(prefix="/v1/audit", tags=["audit"])


class AuditEntryOut(BaseModel):
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


class AuditPageOut(BaseModel):
    items: list[AuditEntryOut]
    next_cursor: str | None


def _encode(seq: int) -> str:
    return base64.urlsafe_b64encode(f"audit:{seq}".encode()).decode().rstrip("=")


_MAX_SEQ = 2**63 - 1  # audit.log.seq is a bigint; a larger number is no position in the log


def _decode(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, seq = raw.partition(":")
        if prefix != "audit":
            raise ValueError(prefix)
        position = int(seq)
        if not 0 <= position <= _MAX_SEQ:
            raise ValueError(seq)
        return position
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidCursor("the cursor is not one this API handed out") from exc


@router.get("", response_model=AuditPageOut)
async def list_audit(
    user: CurrentUser,
    services: ServicesDep,
    task_id: Annotated[uuid.UUID | None, Query(description="only this task's entries")] = None,
    type_: Annotated[
        list[Text] | None, Query(alias="type", max_length=20, description="e.g. task.completed")
    ] = None,
    since: Annotated[datetime | None, Query(description="event time, inclusive")] = None,
    until: Annotated[datetime | None, Query(description="event time, exclusive")] = None,
    order: Annotated[Literal["desc", "asc"], Query(description="by log position")] = "desc",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> AuditPageOut:
    where = ["user_id = $1"]
    args: list[Any] = [str(user.id)]

    def arg(value: Any) -> str:
        args.append(value)
        return f"${len(args)}"

    if task_id is not None:
        where.append(f"task_id = {arg(task_id)}")
    if type_:
        where.append(f"type = ANY({arg(type_)}::text[])")
    if since is not None:
        where.append(f"occurred_at >= {arg(to_utc(since, user.timezone, ('query', 'since')))}")
    if until is not None:
        where.append(f"occurred_at < {arg(to_utc(until, user.timezone, ('query', 'until')))}")
    if cursor is not None:
        where.append(f"seq {'<' if order == 'desc' else '>'} {arg(_decode(cursor))}")
    rows = await services.pool.fetch(
        "SELECT seq, event_id, topic, type, task_id, occurred_at, recorded_at, hash, prev_hash,"
        f" entry FROM audit.log WHERE {' AND '.join(where)}"
        f" ORDER BY seq {order.upper()} LIMIT {arg(limit + 1)}",
        *args,
    )
    items = [
        AuditEntryOut(
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
    next_cursor = _encode(items[-1].seq) if len(rows) > limit else None
    return AuditPageOut(items=items, next_cursor=next_cursor)
