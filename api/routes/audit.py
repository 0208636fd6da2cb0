"""The caller's own audit trail: filter by task, event type and time; newest first."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import CurrentUser, ServicesDep
from api.openapi import StrictQueryRoute
from api.schemas import to_utc
from domain.models import Text
from domain.store.audit import AuditLog, AuditPage, AuditQuery

router = APIRouter(prefix="/v1/audit", tags=["audit"], route_class=StrictQueryRoute)


@router.get("", response_model=AuditPage)
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
) -> AuditPage:
    query = AuditQuery(
        task_id=task_id,
        types=list(type_ or []),
        since=to_utc(since, user.timezone, ("query", "since")) if since is not None else None,
        until=to_utc(until, user.timezone, ("query", "until")) if until is not None else None,
        order=order,
    )
    return await AuditLog(services.pool).page(user.id, query, limit=limit, cursor=cursor)
