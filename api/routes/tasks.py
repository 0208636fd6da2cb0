"""Tasks: create, read, list with filters and cursor pagination, change, complete, delete."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status

from api.deps import WRITER_HEADERS, CurrentUser, ServicesDep, WriterDep
from api.openapi import StrictQueryRoute, problems
from api.problems import Problem
from api.responses import ModelResponse
from api.schemas import TaskIn, TaskOut, TaskPageOut, TaskPatchIn, to_utc
from domain.models import Status, Task, TaskFilter, Text, User

router = APIRouter(prefix="/v1/tasks", tags=["tasks"], route_class=StrictQueryRoute)

IfMatch = Annotated[str | None, Header(description="the task's version (its ETag) you last saw")]


def _etag(version: int) -> str:
    return f'"{version}"'


def _expected_version(if_match: str | None, body_version: int | None = None) -> int | None:
    if if_match is None or if_match.strip() == "*":
        return body_version
    raw = if_match.strip().removeprefix("W/").strip('"')
    try:
        return int(raw)
    except ValueError as exc:
        raise Problem(
            400,
            "invalid-if-match",
            "Invalid If-Match",
            'If-Match must be the task\'s version as returned in its ETag, e.g. "3".',
        ) from exc


def _out(task: Task, user: User, status_code: int = 200, **headers: str) -> ModelResponse:
    """One task, with its version as the ETag a later If-Match sends back."""
    return ModelResponse(
        TaskOut.of(task, user.timezone), status_code, {"ETag": _etag(task.version), **headers}
    )


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=TaskOut,
    responses=problems("invalid-change"), openapi_extra=WRITER_HEADERS,
)  # fmt: skip
async def create_task(body: TaskIn, w: WriterDep) -> Response:
    task = await w.services.tasks.create(w.user.id, body.to_domain(w.user.timezone), w.meta)
    return _out(task, w.user, status.HTTP_201_CREATED, Location=f"/v1/tasks/{task.id}")


@router.get("", response_model=TaskPageOut)
async def list_tasks(
    user: CurrentUser,
    services: ServicesDep,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    tag: Annotated[Text | None, Query(max_length=50)] = None,
    priority: Annotated[int | None, Query(ge=1, le=4)] = None,
    due_from: Annotated[datetime | date | None, Query(description="inclusive")] = None,
    due_to: Annotated[datetime | date | None, Query(description="exclusive")] = None,
    q: Annotated[Text | None, Query(max_length=200, description="text in title or notes")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    def bound(value: datetime | date | None, name: str) -> datetime | None:
        return None if value is None else to_utc(value, user.timezone, ("query", name))

    flt = TaskFilter(
        status=status_,
        tag=tag,
        priority=priority,
        due_from=bound(due_from, "due_from"),
        due_to=bound(due_to, "due_to"),
        text=q,
    )
    page = await services.tasks.list(user.id, flt, limit=limit, cursor=cursor)
    items = [TaskOut.of(t, user.timezone) for t in page.items]
    return ModelResponse(TaskPageOut(items=items, next_cursor=page.next_cursor))


@router.get("/{task_id}", response_model=TaskOut)
async def get_task(task_id: uuid.UUID, user: CurrentUser, services: ServicesDep) -> Response:
    return _out(await services.tasks.get(user.id, task_id), user)


@router.patch(
    "/{task_id}",
    response_model=TaskOut,
    responses=problems("invalid-change"),
    openapi_extra=WRITER_HEADERS,
)
async def update_task(
    task_id: uuid.UUID,
    body: TaskPatchIn,
    w: WriterDep,
    if_match: IfMatch = None,
) -> Response:
    task = await w.services.tasks.update(
        w.user.id,
        task_id,
        body.to_domain(w.user.timezone),
        w.meta,
        expected_version=_expected_version(if_match, body.version),
    )
    return _out(task, w.user)


@router.post("/{task_id}/complete", response_model=TaskOut, openapi_extra=WRITER_HEADERS)
async def complete_task(task_id: uuid.UUID, w: WriterDep, if_match: IfMatch = None) -> Response:
    task = await w.services.tasks.complete(
        w.user.id, task_id, w.meta, expected_version=_expected_version(if_match)
    )
    return _out(task, w.user)


@router.post("/{task_id}/reopen", response_model=TaskOut, openapi_extra=WRITER_HEADERS)
async def reopen_task(task_id: uuid.UUID, w: WriterDep, if_match: IfMatch = None) -> Response:
    task = await w.services.tasks.reopen(
        w.user.id, task_id, w.meta, expected_version=_expected_version(if_match)
    )
    return _out(task, w.user)


@router.delete("/{task_id}", status_code=status.HTTP_204_NO_CONTENT, openapi_extra=WRITER_HEADERS)
async def delete_task(task_id: uuid.UUID, w: WriterDep, if_match: IfMatch = None) -> Response:
    await w.services.tasks.delete(
        w.user.id, task_id, w.meta, expected_version=_expected_version(if_match)
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
