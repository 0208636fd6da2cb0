"""The agent side of the API: the MCP server (mounted at /mcp and used in process by the graph),
the checkpointer, the compiled orchestrator and the chat service, all tied to the lifespan.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from mcp.server.fastmcp import FastMCP
from starlette.applications import Starlette
from starlette.routing import Mount, Route
from starlette.types import Receive, Scope, Send

from api.credentials import BearerVerifier
from api.services import Services
from domain.store import ConversationStore, Outbox
from graph.checkpointer import open_checkpointer
from graph.graph import make_builder
from graph.locks import ConversationLocks
from graph.nodes import Deps
from graph.service import ChatService
from tools.client import DirectToolbox
from tools.server import build_server


def build_mcp(services_ref: dict[str, Services], public_url: str) -> FastMCP:
    """One MCP server per app; its stores are looked up once the lifespan has built them."""
    return build_server(
        lambda: services_ref["services"].tasks,
        lambda: services_ref["services"].users,
        token_verifier=BearerVerifier(lambda: services_ref["services"]),
        public_url=public_url,
    )


def mount_mcp(app: Starlette, mcp: FastMCP) -> None:
    """Serve MCP at `/mcp/` and at `/mcp` itself. The resource is named `/mcp` (RFC 9728), and the
    trailing-slash redirect a bare mount answers names `http://` behind a TLS-terminating proxy,
    which clients refuse to follow across origins."""
    mount = Mount("/mcp", app=mcp.streamable_http_app())
    exact = Route("/mcp", _AsMounted(mount), methods=["GET", "POST", "DELETE"])
    app.router.routes += [exact, mount]


class _AsMounted:
    """An ASGI app (a class, so Starlette does not take it for a request handler) answering
    `/mcp` as the mount answers `/mcp/`."""

    def __init__(self, mount: Mount) -> None:
        self.mount = mount

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope = {**scope, "path": "/mcp/", "raw_path": b"/mcp/"}
        _, child = self.mount.matches(scope)
        await self.mount.app({**scope, **child}, receive, send)


@contextlib.asynccontextmanager
async def open_agent(services: Services, mcp: FastMCP) -> AsyncIterator[ChatService]:
    settings = services.settings
    assert settings.database_url is not None
    # The graph calls the tools in process, without the JSON-RPC round trip (bench_chat.py
    # measures both); /mcp serves outside clients over HTTP as before.
    deps = Deps(toolbox=DirectToolbox(mcp), outbox=Outbox(services.pool), tasks=services.tasks)

    async def provide() -> Deps:
        return deps

    # Replicas share conversations: a turn holds its conversation's advisory lock.
    locks = await ConversationLocks.open(settings.database_url, max_size=settings.db_pool_max)
    try:
        async with (
            open_checkpointer(settings.database_url, max_size=settings.db_pool_max) as saver,
            mcp.session_manager.run(),
        ):
            graph = make_builder(provide).compile(checkpointer=saver, name="todo_orchestrator")
            yield ChatService(graph, ConversationStore(services.pool), settings, locks)
    finally:
        await locks.close()
