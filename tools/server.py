"""The MCP server: the user's task tools, bound to the calling user on the server side.

Who the caller is never comes from a tool argument the model fills in:
- over HTTP (`/mcp` on the API) it is the subject of the verified bearer JWT;
- in process (the graph's own session) it is the `todo/user` entry of the request's `_meta`,
  set by trusted graph code (see tools/client.py). `_meta` is ignored on HTTP requests.
Every mutating tool takes an optional `idempotency_key`, so a replayed graph step acts once.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from mcp.server.auth.middleware.auth_context import get_access_token
from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from mcp.server.fastmcp import Context, FastMCP
from mcp.server.fastmcp.exceptions import ToolError
from pydantic import Field, ValidationError

from domain.models import (
    Recurrence,
    Reminder,
    Status,
    Task,
    TaskCreate,
    TaskFilter,
    TaskPatch,
    all_day_due,
)
from domain.store import InvalidCursor, Meta, StoreError, TaskStore, UserStore
from domain.validation import first_error

USER_META_KEY = "todo/user"
CORRELATION_META_KEY = "todo/correlation"

TokenCheck = Callable[[str], Awaitable[uuid.UUID]]


class JwtTokenVerifier:
    """Adapts the API's JWT check to MCP's TokenVerifier protocol."""

    def __init__(self, verify: TokenCheck) -> None:
        self._verify = verify

    async def verify_token(self, token: str) -> AccessToken | None:
        try:
            user_id = await self._verify(token)
        except Exception:
            return None
        return AccessToken(token=token, client_id=str(user_id), subject=str(user_id), scopes=[])


def _caller(ctx: Context) -> tuple[uuid.UUID, str | None]:
    request_ctx = ctx.request_context
    if request_ctx.request is not None:  # HTTP: only the verified token counts
        token = get_access_token()
        if token is None or token.subject is None:
            raise ToolError("not authenticated")
        return uuid.UUID(token.subject), None
    meta = request_ctx.meta.model_dump() if request_ctx.meta is not None else {}
    user = meta.get(USER_META_KEY)
    if not user:
        raise ToolError("no user is bound to this session")
    return uuid.UUID(str(user)), meta.get(CORRELATION_META_KEY)


def _task_view(task: Task) -> dict[str, Any]:
    return task.model_dump(mode="json", exclude={"owner_id"})


def _due(due: datetime | None, due_date: date | None, tz: str) -> tuple[datetime | None, bool]:
    if due_date is not None:
        return all_day_due(due_date, tz), True
    if due is not None:
        if due.tzinfo is None:
            raise ToolError("'due' needs a UTC offset, e.g. 2026-12-01T09:00:00+05:00")
        return due.astimezone(UTC), False
    return None, False


IdempotencyKey = Annotated[
    str | None, Field(description="same key, same effect: a retried call does not act twice")
]


def build_server(
    tasks: Callable[[], TaskStore],
    users: Callable[[], UserStore],
    *,
    verify_token: TokenCheck | None = None,
    public_url: str = "http://127.0.0.1:8000",
) -> FastMCP:
    """The server. Stores are looked up lazily so one server serves every app instance."""
    auth = None
    verifier = None
    if verify_token is not None:
        verifier = JwtTokenVerifier(verify_token)
        auth = AuthSettings(
            issuer_url=public_url,
            resource_server_url=f"{public_url}/mcp",
            validate_token_resource=False,  # our verifier checks the audience itself
        )
    # Tools answer with JSON text, not structured content: the client validates structured
    # results against a JSON schema on every call, a cost the graph's hot path does not need.
    mcp = FastMCP(
        "todo",
        instructions="Manage the signed-in user's tasks. Times are ISO 8601 with an offset.",
        token_verifier=verifier,
        auth=auth,
        stateless_http=True,
        json_response=True,
        streamable_http_path="/",
    )

    async def run(
        ctx: Context, key: str | None, action: Callable[[uuid.UUID, Meta], Awaitable[Task]]
    ) -> dict[str, Any]:
        user_id, correlation = _caller(ctx)
        meta = Meta(
            correlation_id=correlation,
            idempotency_key=key,
            source="/todo-agent/mcp",
        )
        try:
            return _task_view(await action(user_id, meta))
        except (StoreError, ValidationError, ValueError) as exc:
            raise ToolError(first_error(exc)) from exc

    async def zone_of(user_id: uuid.UUID) -> str:
        return (await users().get(user_id)).timezone

    @mcp.tool(structured_output=False)
    async def create_task(
        ctx: Context,
        title: str,
        notes: str | None = None,
        priority: Annotated[int, Field(ge=1, le=4)] = 4,
        tags: list[str] | None = None,
        due: datetime | None = None,
        due_date: date | None = None,
        reminder_offsets_minutes: list[int] | None = None,
        rrule: str | None = None,
        idempotency_key: IdempotencyKey = None,
    ) -> dict[str, Any]:
        """Create a task. `due` is a date-time with offset; `due_date` makes it all-day."""

        async def act(user_id: uuid.UUID, meta: Meta) -> Task:
            due_at, all_day = _due(due, due_date, await zone_of(user_id))
            data = TaskCreate(
                title=title,
                notes=notes,
                priority=priority,
                tags=tags or [],
                due=due_at,
                all_day=all_day,
                reminders=[Reminder(offset_minutes=m) for m in reminder_offsets_minutes or []],
                recurrence=Recurrence(rrule=rrule) if rrule else None,
            )
            return await tasks().create(user_id, data, meta)

        return await run(ctx, idempotency_key, act)

    @mcp.tool(structured_output=False)
    async def update_task(
        ctx: Context,
        task_id: uuid.UUID,
        title: str | None = None,
        notes: str | None = None,
        priority: Annotated[int | None, Field(ge=1, le=4)] = None,
        add_tags: list[str] | None = None,
        due: datetime | None = None,
        due_date: date | None = None,
        rrule: str | None = None,
        idempotency_key: IdempotencyKey = None,
    ) -> dict[str, Any]:
        """Change a task's fields; only the given fields change. Tags are added."""

        async def act(user_id: uuid.UUID, meta: Meta) -> Task:
            current = await tasks().get(user_id, task_id)
            changes: dict[str, Any] = {}
            if title is not None:
                changes["title"] = title
            if notes is not None:
                changes["notes"] = notes
            if priority is not None:
                changes["priority"] = priority
            if add_tags:
                changes["tags"] = [*current.tags, *add_tags]
            if due is not None or due_date is not None:
                changes["due"], changes["all_day"] = _due(due, due_date, await zone_of(user_id))
            if rrule is not None:
                changes["recurrence"] = Recurrence(rrule=rrule)
            if not changes:
                raise ToolError("nothing to change")
            return await tasks().update(user_id, task_id, TaskPatch(**changes), meta)

        return await run(ctx, idempotency_key, act)

    @mcp.tool(structured_output=False)
    async def get_task(ctx: Context, task_id: uuid.UUID) -> dict[str, Any]:
        """One task by its id."""
        return await run(ctx, None, lambda u, _: tasks().get(u, task_id))

    @mcp.tool(structured_output=False)
    async def complete_task(
        ctx: Context, task_id: uuid.UUID, idempotency_key: IdempotencyKey = None
    ) -> dict[str, Any]:
        """Mark a task done."""
        return await run(ctx, idempotency_key, lambda u, m: tasks().complete(u, task_id, m))

    @mcp.tool(structured_output=False)
    async def reopen_task(
        ctx: Context, task_id: uuid.UUID, idempotency_key: IdempotencyKey = None
    ) -> dict[str, Any]:
        """Open a done task again."""
        return await run(ctx, idempotency_key, lambda u, m: tasks().reopen(u, task_id, m))

    @mcp.tool(structured_output=False)
    async def delete_task(
        ctx: Context, task_id: uuid.UUID, idempotency_key: IdempotencyKey = None
    ) -> dict[str, Any]:
        """Delete a task for good."""
        return await run(ctx, idempotency_key, lambda u, m: tasks().delete(u, task_id, m))

    @mcp.tool(structured_output=False)
    async def set_reminder(
        ctx: Context,
        task_id: uuid.UUID,
        at: datetime | None = None,
        offset_minutes: Annotated[int | None, Field(ge=0)] = None,
        idempotency_key: IdempotencyKey = None,
    ) -> dict[str, Any]:
        """Add a reminder: an absolute time (with offset) or minutes before the due time."""

        async def act(user_id: uuid.UUID, meta: Meta) -> Task:
            if (at is None) == (offset_minutes is None):
                raise ToolError("give exactly one of 'at' or 'offset_minutes'")
            if at is not None and at.tzinfo is None:
                raise ToolError("'at' needs a UTC offset")
            current = await tasks().get(user_id, task_id)
            reminder = Reminder(at=at, offset_minutes=offset_minutes)
            patch = TaskPatch(reminders=[*current.reminders, reminder])
            return await tasks().update(user_id, task_id, patch, meta)

        return await run(ctx, idempotency_key, act)

    @mcp.tool(structured_output=False)
    async def list_tasks(
        ctx: Context,
        status: Literal["open", "done", "all"] = "open",
        tag: str | None = None,
        priority: Annotated[int | None, Field(ge=1, le=4)] = None,
        due_from: datetime | None = None,
        due_to: datetime | None = None,
        text: str | None = None,
        limit: Annotated[int, Field(ge=1, le=200)] = 50,
        cursor: str | None = None,
    ) -> dict[str, Any]:
        """List or search the user's tasks, newest first; pass `next_cursor` for the next page."""
        user_id, _ = _caller(ctx)
        try:
            flt = TaskFilter(
                status=None if status == "all" else Status(status),
                tag=tag,
                priority=priority,
                due_from=due_from,
                due_to=due_to,
                text=text,
            )
        except ValidationError as exc:
            raise ToolError(first_error(exc)) from exc
        try:
            page = await tasks().list(user_id, flt, limit=limit, cursor=cursor)
        except InvalidCursor as exc:
            raise ToolError(str(exc)) from exc
        return {
            "tasks": [_task_view(t) for t in page.items],
            "more": page.next_cursor is not None,
            "next_cursor": page.next_cursor,
        }

    return mcp

