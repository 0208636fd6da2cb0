"""Your whole list as a file: export as JSON or Todoist CSV, and import either back.

An import is checked whole before anything is written: a file with a bad row is refused with
every bad row listed (nothing written); a good one lands in one transaction. `dry_run=true`
reports what an import would create, update and leave as it is, and writes nothing.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from api import exchange
from api.deps import CurrentUser, RequestMeta, ServicesDep
from api.openapi import StrictQueryRoute
from api.problems import Problem
from domain.store import task_import
from domain.store.task_import import Action

router = APIRouter(prefix="/v1/data", tags=["import and export"], route_class=StrictQueryRoute)

MAX_BYTES = 5 * 1024 * 1024


class FileFormat(StrEnum):
    json = "json"
    todoist_csv = "todoist-csv"


class ChangeOut(BaseModel):
    row: int
    action: Action
    title: str
    task_id: str | None = None
    changed: list[str] = []


class ImportOut(BaseModel):
    dry_run: bool
    created: int
    updated: int
    unchanged: int
    skipped: int  # Todoist rows that are not tasks (sections, notes, blank)
    changes: list[ChangeOut]


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {"application/json": {}, "text/csv": {}}}},
)
async def export(
    user: CurrentUser,
    services: ServicesDep,
    format: Annotated[FileFormat, Query()] = FileFormat.json,
) -> Response:
    """Every task of yours (Todoist CSV: the open ones, as Todoist's template holds)."""
    tasks = await task_import.all_tasks(services.pool, user.id)
    if format is FileFormat.json:
        body, media, name = exchange.export_json(tasks, user.timezone), "application/json", "json"
    else:
        body, media, name = exchange.export_csv(tasks, user.timezone), "text/csv", "csv"
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="todo-agent-tasks.{name}"'},
    )


@router.post(
    "/import",
    response_model=ImportOut,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    },
)
async def import_(
    request: Request,
    user: CurrentUser,
    services: ServicesDep,
    meta: RequestMeta,
    format: Annotated[FileFormat, Query()] = FileFormat.json,
    dry_run: Annotated[bool, Query(description="report what would change; write nothing")] = False,
) -> ImportOut:
    """Import a JSON export or a Todoist CSV (the raw file as the request body)."""
    raw = await _body(request)
    try:
        parsed = (
            exchange.parse_json(raw, user.timezone)
            if format is FileFormat.json
            else exchange.parse_csv(raw, user.timezone)
        )
    except exchange.BadFile as exc:
        raise Problem(400, "unreadable-import", "Unreadable file", str(exc)) from exc
    if parsed.errors:
        raise Problem(
            422,
            "invalid-import",
            "Nothing imported",
            f"{len(parsed.errors)} row(s) cannot be imported; fix them and send the file again"
            " (nothing was written)",
            errors=[e.as_dict() for e in parsed.errors],
        )
    if dry_run:
        plan = await task_import.plan(services.pool, user.id, parsed.rows)
    else:
        plan = await task_import.apply(services.pool, user.id, parsed.rows, meta)
    return ImportOut(
        dry_run=dry_run,
        created=plan.count(Action.CREATE),
        updated=plan.count(Action.UPDATE),
        unchanged=plan.count(Action.UNCHANGED),
        skipped=parsed.skipped,
        changes=[_change(step) for step in plan.steps],
    )


def _change(step: task_import.Step) -> ChangeOut:
    extra: dict[str, Any] = {}
    if step.existing is not None:
        extra["task_id"] = str(step.existing.id)
    return ChangeOut(
        row=step.row.row,
        action=step.action,
        title=step.row.task.title,
        changed=list(step.changed),
        **extra,
    )


async def _body(request: Request) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BYTES:
            raise Problem(
                413, "import-too-large", "File too large", f"an import is at most {MAX_BYTES} bytes"
            )
        chunks.append(chunk)
    if not size:
        raise Problem(400, "empty-import", "Empty file", "send the file as the request body")
    return b"".join(chunks)
