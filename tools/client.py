"""The graph's side of MCP: the task tools, called in process.

`DirectToolbox` calls the FastMCP server's tools directly (argument validation, the same tool
functions, no JSON-RPC encoding or in-memory streams); `Toolbox` goes through an in-process MCP
session and langchain-mcp-adapters, as an outside client would. Both bind the call to the run's
user the same way and raise the same coded `ToolFailed`; bench/bench_chat.py measures both.

The session is opened and closed by the same task (the app's lifespan): MCP sessions closed from
another task raise ClosedResourceError (langchain-mcp-adapters #99/#142). Calls come from any
task. An interceptor binds each call to the graph run's user and idempotency key through MCP
`_meta`, so no tool argument the model could fill names the user.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, cast

from langchain_core.tools import BaseTool
from langchain_mcp_adapters.interceptors import MCPToolCallRequest
from langchain_mcp_adapters.tools import load_mcp_tools
from mcp import ClientSession, types
from mcp.server.fastmcp import FastMCP
from mcp.server.lowlevel.server import request_ctx
from mcp.shared.context import RequestContext
from mcp.shared.memory import create_connected_server_and_client_session
from mcp.types import CallToolResult, RequestParams, TextContent
from pydantic import ValidationError

from domain.recurrence import InvalidRecurrence
from domain.store import StoreError
from tools.server import CORRELATION_META_KEY, USER_META_KEY


class ToolFailed(Exception):
    """A tool refused the call. `code` (with `values`) is what a reply is worded from, in the
    user's language; the message is for logs and the audit trail, never for the chat."""

    def __init__(self, message: str, code: str = "failed", **values: str) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


def failure(exc: BaseException) -> ToolFailed:
    """A coded failure from what the tool raised: the first domain or validation error in the
    chain decides the code; anything else is a plain `failed`."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ValidationError):
            return _invalid(cause, str(exc))
        if isinstance(cause, StoreError | InvalidRecurrence):
            return ToolFailed(str(exc), _STORE_CODES.get(type(cause).__name__, "invalid"))
        cause = cause.__cause__ or cause.__context__
    return ToolFailed(str(exc))


_STORE_CODES = {
    "NotFound": "not_found", "VersionConflict": "conflict", "InvalidChange": "invalid_change",
    "InvalidRecurrence": "invalid_rule", "IdempotencyKeyInFlight": "busy",
    "IdempotencyKeyReused": "conflict",
}  # fmt: skip


def _invalid(err: ValidationError, message: str) -> ToolFailed:
    first = err.errors()[0]
    name = next((str(p) for p in reversed(first.get("loc", ())) if isinstance(p, str)), "")
    limit = (first.get("ctx") or {}).get("max_length")
    too_long = first.get("type") in ("string_too_long", "too_long")
    if too_long and name in ("title", "notes") and limit:
        return ToolFailed(message, f"{name}_too_long", max=str(limit))
    return ToolFailed(message, "invalid")


@dataclass(frozen=True, slots=True)
class CallBinding:
    """What trusted code, not the model, says about a call."""

    user_id: str
    idempotency_key: str | None = None
    correlation_id: str | None = None


class Toolbox:
    """The MCP tools of one session, callable with a binding."""

    def __init__(self, session: ClientSession, tools: list[BaseTool]) -> None:
        self.session = session
        self.tools = {t.name: t for t in tools}

    async def call(self, name: str, args: dict[str, Any], binding: CallBinding) -> dict[str, Any]:
        """Run one tool through its LangChain adapter; the binding travels as runtime."""
        tool = self.tools[name]
        clean = {k: v for k, v in args.items() if v is not None}
        if binding.idempotency_key and "idempotency_key" in tool.args:
            clean["idempotency_key"] = binding.idempotency_key
        try:
            content = await tool.ainvoke({**clean, "runtime": binding})
        except ToolFailed:
            raise
        except Exception as exc:  # ToolException from the adapter carries the server's message
            raise ToolFailed(str(exc)) from exc
        return _json(content)


class DirectToolbox:
    """The server's tools called as functions, bound to the user through the same request
    `_meta` an in-process MCP session would carry: what a tool sees is the same either way."""

    def __init__(self, server: FastMCP) -> None:
        self.server = server
        # FastMCP.call_tool always converts the result to content blocks (JSON text); the tool
        # manager can hand back the tool's own return value.
        self._tools = server._tool_manager
        self._calls = itertools.count(1)

    async def call(self, name: str, args: dict[str, Any], binding: CallBinding) -> dict[str, Any]:
        tool = self._tools.get_tool(name)
        if tool is None:
            raise ToolFailed(f"unknown tool {name}")
        clean = {k: v for k, v in args.items() if v is not None}
        if binding.idempotency_key and "idempotency_key" in tool.parameters["properties"]:
            clean["idempotency_key"] = binding.idempotency_key
        meta = {USER_META_KEY: binding.user_id}
        if binding.correlation_id:
            meta[CORRELATION_META_KEY] = binding.correlation_id
        # No session: a tool that wrote to its client (progress, logs) would fail, and none does.
        request: RequestContext[Any, Any, Any] = RequestContext(
            request_id=next(self._calls), meta=RequestParams.Meta(**meta),
            session=cast(Any, None), lifespan_context=None,
        )  # fmt: skip
        token = request_ctx.set(request)
        try:
            result = await tool.run(clean, context=self.server.get_context())
        except Exception as exc:
            raise failure(exc) from exc
        finally:
            request_ctx.reset(token)
        return _direct_result(result)


def _json(content: Any) -> dict[str, Any]:
    if isinstance(content, dict):
        return content
    if isinstance(content, list):
        text = "".join(
            part.get("text", "") if isinstance(part, dict) else str(part) for part in content
        )
    else:
        text = str(content)
    return json.loads(text)


def _direct_result(result: Any) -> dict[str, Any]:
    """A tool's own return value: a ready CallToolResult (its structured content), or data."""
    if isinstance(result, CallToolResult):
        text = " ".join(c.text for c in result.content if isinstance(c, TextContent))
        if result.isError:
            raise ToolFailed(text or "the tool failed")
        if result.structuredContent is not None:
            return dict(result.structuredContent)
        return _json(text)
    return result if isinstance(result, dict) else _json(result)


def _binding_interceptor(session: ClientSession):
    async def bind(request: MCPToolCallRequest, handler) -> CallToolResult:
        binding = request.runtime
        if not isinstance(binding, CallBinding):
            return await handler(request)
        meta = {USER_META_KEY: binding.user_id}
        if binding.correlation_id:
            meta[CORRELATION_META_KEY] = binding.correlation_id
        # Not session.call_tool: it re-checks each structured result against the tool's output
        # schema with jsonschema (~20 ms a call, the schema itself re-validated each time). This
        # session talks to our own server in process, whose models have validated the data.
        result = await session.send_request(
            types.ClientRequest(
                types.CallToolRequest(
                    params=types.CallToolRequestParams(
                        name=request.name,
                        arguments=request.args,
                        _meta=types.RequestParams.Meta(**meta),
                    )
                )
            ),
            types.CallToolResult,
        )
        if result.isError:
            text = " ".join(c.text for c in result.content if isinstance(c, TextContent))
            raise ToolFailed(text or "the tool failed")
        return result

    return bind


@contextlib.asynccontextmanager
async def open_toolbox(server: FastMCP) -> AsyncIterator[Toolbox]:
    async with create_connected_server_and_client_session(server._mcp_server) as session:
        tools = await load_mcp_tools(session, tool_interceptors=[_binding_interceptor(session)])
        yield Toolbox(session, tools)


class HostedToolbox:
    """Owns an in-process session in a task of its own, so that start and stop may be called
    from different tasks (test fixtures, lifespans) without tripping anyio's cancel scopes."""

    def __init__(self, server: FastMCP) -> None:
        self.server = server
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> Toolbox:
        ready: asyncio.Future[Toolbox] = asyncio.get_running_loop().create_future()

        async def host() -> None:
            try:
                async with open_toolbox(self.server) as box:
                    ready.set_result(box)
                    await self._stop.wait()
            except BaseException as exc:
                if not ready.done():
                    ready.set_exception(exc)
                raise

        self._task = asyncio.create_task(host(), name="mcp-toolbox")
        return await ready

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await self._task
