"""The MCP server: the user's task tools, bound to the calling user on the server side.

Who the caller is never comes from a tool argument the model fills in:
- over HTTP (`/mcp` on the API) it is the subject of the verified bearer token (a login or OAuth
  access token, or a personal access token), and its scopes decide what it may do;
- in process (the graph's own session) it is the `todo/user` entry of the request's `_meta`,
  set by trusted graph code (see tools/client.py). `_meta` is ignored on HTTP requests.
Every mutating tool takes an optional `idempotency_key`, so a replayed graph step acts once.
Times without an offset are the wall clock in the user's zone (`whoami` says which, and now).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import pendulum
from mcp.server.auth.middleware.auth_context import get_access_token
from mcp.server.auth.provider import TokenVerifier
from mcp.server.auth.settings import AuthSettings
from mcp.server.fastmcp import Context, FastMCP
from mcp.server.fastmcp.exceptions import ToolError
from mcp.server.transport_security import TransportSecuritySettings
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field, ValidationError
from pydantic.json_schema import SkipJsonSchema

from domain.models import (
    Recurrence,
    Reminder,
    Status,
    Task,
    TaskCreate,
    TaskFilter,
    TaskPatch,
    all_day_due,
    utc_instant,
)
from domain.store import InvalidCursor, Meta, StoreError, TaskStore, UserStore
from domain.timezones import zone
from domain.validation import first_error

USER_META_KEY = "todo/user"
CORRELATION_META_KEY = "todo/correlation"

READ_SCOPE = "tasks:read"
WRITE_SCOPE = "tasks:write"
SCOPES = (READ_SCOPE, WRITE_SCOPE)


class TaskView(Task):
    """A task as a tool returns it: the owner is the caller, so it is left out."""

    # Narrowed on purpose: a view never carries its owner (the caller), so it may be unset.
    owner_id: SkipJsonSchema[uuid.UUID | None] = Field(default=None, exclude=True)  # type: ignore[assignment]


class TaskPage(BaseModel):
    tasks: list[TaskView]
    more: bool = Field(description="another page follows")
    next_cursor: str | None = Field(description="pass as `cursor` for the next page")


class Whoami(BaseModel):
    """Who the tools act for, and the moment they act in."""

    email: str
    timezone: str = Field(description="IANA zone; times without an offset are read in it")
    locale: str
    now: datetime = Field(description="the current time in the user's zone, with its offset")
    utc_offset: str = Field(description="the zone's offset from UTC now, e.g. +05:00")
    today: date = Field(description="the date in the user's zone")


_READ = ToolAnnotations(readOnlyHint=True, openWorldHint=False)
_ADD = ToolAnnotations(readOnlyHint=False, destructiveHint=False, idempotentHint=False,
                       openWorldHint=False)  # fmt: skip
# Same arguments again leave the task as the first call did (tags are a set).
_CHANGE = ToolAnnotations(readOnlyHint=False, destructiveHint=True, idempotentHint=True,
                          openWorldHint=False)  # fmt: skip
_MARK = ToolAnnotations(readOnlyHint=False, destructiveHint=False, idempotentHint=True,
                        openWorldHint=False)  # fmt: skip


def _caller(ctx: Context, *, writes: bool = False) -> tuple[uuid.UUID, str | None]:
    request_ctx = ctx.request_context
    if request_ctx.request is not None:  # HTTP: only the verified token counts
        token = get_access_token()
        if token is None or token.subject is None:
            raise ToolError("not authenticated")
        if writes and WRITE_SCOPE not in token.scopes:
            raise ToolError(f"this token may only read: it lacks the '{WRITE_SCOPE}' scope")
        return uuid.UUID(token.subject), None
    meta = request_ctx.meta.model_dump() if request_ctx.meta is not None else {}
    user = meta.get(USER_META_KEY)
    if not user:
        raise ToolError("no user is bound to this session")
    return uuid.UUID(str(user)), meta.get(CORRELATION_META_KEY)


# A tool's answer: declared by its model (the output schema), built by `_answer`. Answering
# with a ready CallToolResult skips the low-level server's jsonschema check of every result,
# which also re-validates the schema against its metaschema on each call (~20 ms a call here);
# FastMCP still validates the data with the model itself (pydantic, microseconds).
TaskOut = Annotated[CallToolResult, TaskView]
PageOut = Annotated[CallToolResult, TaskPage]
WhoamiOut = Annotated[CallToolResult, Whoami]


def _answer(model: BaseModel) -> CallToolResult:
    data = model.model_dump(mode="json")
    return CallToolResult(
        content=[TextContent(type="text", text=json.dumps(data))], structuredContent=data
    )


def _task_view(task: Task) -> CallToolResult:
    return _answer(TaskView.model_construct(**dict(task)))


def _instant(value: datetime, tz: str) -> datetime:
    """A time with an offset as given; one without it, as the wall clock in the user's zone."""
    if value.tzinfo is None:
        value = pendulum.instance(value, tz=zone(tz))
    return utc_instant(value)


def _due(due: datetime | None, due_date: date | None, tz: str) -> tuple[datetime | None, bool]:
    if due_date is not None:
        return all_day_due(due_date, tz), True
    if due is not None:
        return _instant(due, tz), False
    return None, False


_WHEN = "ISO 8601; without an offset it is the wall clock in the user's zone"

IdempotencyKey = Annotated[
    str | None, Field(description="same key, same effect: a retried call does not act twice")
]


def build_server(
    tasks: Callable[[], TaskStore],
    users: Callable[[], UserStore],
    *,
    token_verifier: TokenVerifier | None = None,
    public_url: str = "http://127.0.0.1:8000",
) -> FastMCP:
    """The server. Stores are looked up lazily so one server serves every app instance.

    With a verifier, HTTP callers need a bearer token; the 401 names the protected-resource
    metadata at the API's root (`/.well-known/oauth-protected-resource/mcp`, RFC 9728), which the
    API serves together with its authorization server (see api/oauth.py).
    """
    auth = None
    if token_verifier is not None:
        auth = AuthSettings(
            issuer_url=public_url,
            resource_server_url=f"{public_url}/mcp",
            required_scopes=[READ_SCOPE],
            validate_token_resource=False,  # our verifier checks the audience itself
        )
    mcp = FastMCP(
        "todo",
        transport_security=_transport_security(public_url),
        instructions=(
            "Manage the signed-in user's tasks. Call `whoami` for their time zone and the"
            " current time; times without an offset are read in that zone."
        ),
        token_verifier=token_verifier,
        auth=auth,
        stateless_http=True,
        json_response=True,
        streamable_http_path="/",
    )

    async def run(
        ctx: Context, key: str | None, action: Callable[[uuid.UUID, Meta], Awaitable[Task]]
    ) -> CallToolResult:
        user_id, correlation = _caller(ctx, writes=True)
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

    @mcp.tool(annotations=_READ)
    async def whoami(ctx: Context) -> WhoamiOut:
        """The user these tools act for: time zone, language, and the current time there."""
        user_id, _ = _caller(ctx)
        try:
            user = await users().get(user_id)
        except StoreError as exc:
            raise ToolError(str(exc)) from exc
        now = pendulum.now(user.timezone)
        return _answer(
            Whoami(
                email=user.email,
                timezone=user.timezone,
                locale=user.locale,
                now=now.replace(microsecond=0),
                utc_offset=now.strftime("%z")[:3] + ":" + now.strftime("%z")[3:],
                today=now.date(),
            )
        )

    @mcp.tool(annotations=_ADD)
    async def create_task(
        ctx: Context,
        title: str,
        notes: str | None = None,
        priority: Annotated[int, Field(ge=1, le=4)] = 4,
        tags: list[str] | None = None,
        due: Annotated[datetime | None, Field(description=_WHEN)] = None,
        due_date: Annotated[date | None, Field(description="makes the task all-day")] = None,
        reminder_offsets_minutes: list[int] | None = None,
        rrule: Annotated[str | None, Field(description="RFC 5545, e.g. FREQ=WEEKLY")] = None,
        idempotency_key: IdempotencyKey = None,
    ) -> TaskOut:
        """Create a task. `due` is a date-time; `due_date` makes it all-day."""

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

    @mcp.tool(annotations=_CHANGE)
    async def update_task(
        ctx: Context,
        task_id: uuid.UUID,
        title: str | None = None,
        notes: str | None = None,
        priority: Annotated[int | None, Field(ge=1, le=4)] = None,
        add_tags: list[str] | None = None,
        due: Annotated[datetime | None, Field(description=_WHEN)] = None,
        due_date: date | None = None,
        rrule: str | None = None,
        idempotency_key: IdempotencyKey = None,
    ) -> TaskOut:
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

    @mcp.tool(annotations=_READ)
    async def get_task(ctx: Context, task_id: uuid.UUID) -> TaskOut:
        """One task by its id."""
        user_id, _ = _caller(ctx)
        try:
            return _task_view(await tasks().get(user_id, task_id))
        except StoreError as exc:
            raise ToolError(str(exc)) from exc

    @mcp.tool(annotations=_MARK)
    async def complete_task(
        ctx: Context, task_id: uuid.UUID, idempotency_key: IdempotencyKey = None
    ) -> TaskOut:
        """Mark a task done."""
        return await run(ctx, idempotency_key, lambda u, m: tasks().complete(u, task_id, m))

    @mcp.tool(annotations=_MARK)
    async def reopen_task(
        ctx: Context, task_id: uuid.UUID, idempotency_key: IdempotencyKey = None
    ) -> TaskOut:
        """Open a done task again."""
        return await run(ctx, idempotency_key, lambda u, m: tasks().reopen(u, task_id, m))

    @mcp.tool(annotations=_CHANGE)
    async def delete_task(
        ctx: Context, task_id: uuid.UUID, idempotency_key: IdempotencyKey = None
    ) -> TaskOut:
        """Delete a task for good; answers with the task as it was."""
        return await run(ctx, idempotency_key, lambda u, m: tasks().delete(u, task_id, m))

    @mcp.tool(annotations=_ADD)
    async def set_reminder(
        ctx: Context,
        task_id: uuid.UUID,
        at: Annotated[datetime | None, Field(description=_WHEN)] = None,
        offset_minutes: Annotated[int | None, Field(ge=0)] = None,
        idempotency_key: IdempotencyKey = None,
    ) -> TaskOut:
        """Add a reminder: an absolute time or minutes before the due time."""

        async def act(user_id: uuid.UUID, meta: Meta) -> Task:
            if (at is None) == (offset_minutes is None):
                raise ToolError("give exactly one of 'at' or 'offset_minutes'")
            current = await tasks().get(user_id, task_id)
            when = None if at is None else _instant(at, await zone_of(user_id))
            reminder = Reminder(at=when, offset_minutes=offset_minutes)
            patch = TaskPatch(reminders=[*current.reminders, reminder])
            return await tasks().update(user_id, task_id, patch, meta)

        return await run(ctx, idempotency_key, act)

    @mcp.tool(annotations=_READ)
    async def list_tasks(
        ctx: Context,
        status: Literal["open", "done", "all"] = "open",
        tag: str | None = None,
        priority: Annotated[int | None, Field(ge=1, le=4)] = None,
        due_from: Annotated[datetime | None, Field(description=f"inclusive; {_WHEN}")] = None,
        due_to: Annotated[datetime | None, Field(description=f"exclusive; {_WHEN}")] = None,
        text: str | None = None,
        limit: Annotated[int, Field(ge=1, le=200)] = 50,
        cursor: str | None = None,
    ) -> PageOut:
        """List or search the user's tasks, newest first; pass `next_cursor` for the next page."""
        user_id, _ = _caller(ctx)
        try:
            tz = await zone_of(user_id) if _naive(due_from, due_to) else "UTC"
            flt = TaskFilter(
                status=None if status == "all" else Status(status),
                tag=tag,
                priority=priority,
                due_from=None if due_from is None else _instant(due_from, tz),
                due_to=None if due_to is None else _instant(due_to, tz),
                text=text,
            )
            page = await tasks().list(user_id, flt, limit=limit, cursor=cursor)
        except (InvalidCursor, StoreError, ValidationError, ValueError) as exc:
            raise ToolError(first_error(exc)) from exc
        return _answer(
            TaskPage(
                tasks=[TaskView.model_construct(**dict(t)) for t in page.items],
                more=page.next_cursor is not None,
                next_cursor=page.next_cursor,
            )
        )

    return mcp


def _transport_security(public_url: str) -> TransportSecuritySettings:
    """DNS-rebinding protection that lets in the API's public address, not only loopback
    (FastMCP's default, which answers 421 to a client reaching `/mcp` by its real hostname)."""
    public = urlsplit(public_url)
    loopback = ["127.0.0.1", "localhost", "[::1]"]
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=[public.netloc, *(f"{h}:*" for h in loopback)],
        allowed_origins=[
            f"{public.scheme}://{public.netloc}",
            *(f"{scheme}://{h}:*" for scheme in ("http", "https") for h in loopback),
        ],
    )


def _naive(*values: datetime | None) -> bool:
    return any(v is not None and v.tzinfo is None for v in values)
