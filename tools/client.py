"""The graph's side of MCP: one in-process session, its tools through langchain-mcp-adapters.

The session is opened and closed by the same task (the app's lifespan): MCP sessions closed from
another task raise ClosedResourceError (langchain-mcp-adapters #99/#142). Calls come from any
task. An interceptor binds each call to the graph run's user and idempotency key through MCP
`_meta`, so no tool argument the model could fill names the user.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from langchain_core.tools import BaseTool
from langchain_mcp_adapters.interceptors import MCPToolCallRequest
from langchain_mcp_adapters.tools import load_mcp_tools
from mcp import ClientSession, types
from mcp.server.fastmcp import FastMCP
from mcp.shared.memory import create_connected_server_and_client_session
from mcp.types import CallToolResult, TextContent

from tools.server import CORRELATION_META_KEY, USER_META_KEY


class ToolFailed(Exception):
    """A tool refused the call; the message is meant for the user."""


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
        except Exception as exc:  # ToolException from the adapter carries the server's message
            raise ToolFailed(str(exc)) from exc
        return _json(content)


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
