"""The FastAPI application: composition of routers, problem handlers and middleware."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from prometheus_client import CollectorRegistry, Gauge

from api import oauth, openapi, problems
from api.agent import build_mcp, mount_mcp, open_agent
from api.observability import HttpMetrics, RequestContextMiddleware
from api.routes import audit, auth, calendar, chat, data, ops, tasks, tokens, web, ws
from api.services import Services
from core.heap import freeze_startup_heap
from core.logging import setup_logging
from core.settings import Settings, get_settings

DESCRIPTION = """A chat-first todo assistant. Log in at `/v1/auth/login`, then send
`Authorization: Bearer <token>`; for scripts, make a personal access token at `/v1/auth/tokens`.
MCP clients connect to `/mcp` and sign in through OAuth 2.1 (metadata at
`/.well-known/oauth-authorization-server`). Errors are RFC 9457 `application/problem+json`;
a query parameter a route does not take is refused (400). Events on Kafka: `todo-agent asyncapi`."""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    # Worker processes (uvicorn --workers) import this factory afresh: log the same way there.
    setup_logging("api", level=settings.log_level, as_json=settings.log_json)
    registry = CollectorRegistry()
    http_metrics = HttpMetrics(registry)
    outbox_backlog = Gauge(
        "outbox_backlog", "Events committed but not yet published", registry=registry
    )

    services_ref: dict[str, Services] = {}
    public_url = settings.public_url  # unset, the settings fill it in from HOST and PORT
    mcp = build_mcp(services_ref, public_url)
    accounts = oauth.AccountProvider(lambda: services_ref["services"], public_url)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = await Services.open(settings)
        services.extras.update(registry=registry, outbox_backlog=outbox_backlog)
        app.state.services = services
        services_ref["services"] = services
        if services.broker is not None:
            feed = ws.attach_live_updates(app, services.broker)
            await services.broker.start()
            feed.pause()  # until a socket wants it
        try:
            async with open_agent(services, mcp) as chat_service:
                app.state.chat = chat_service
                freeze_startup_heap()  # each worker runs this lifespan: its own heap
                yield
        finally:
            if services.broker is not None:
                await services.broker.stop()
            await services.close()

    # /docs with Swagger UI's files served from here, not from a CDN. No /redoc: ReDoc's bundle
    # still loads its logo from Redocly's CDN.
    app = FastAPIOffline(
        static_url="/static/docs",
        redoc_url=None,
        title="todo-agent",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    problems.install(app)
    app.include_router(ops.router)
    app.include_router(auth.router)
    app.include_router(tasks.router)
    app.include_router(audit.router)
    app.include_router(calendar.router)
    app.include_router(data.router)
    app.include_router(ws.router)
    app.include_router(chat.router)
    app.include_router(tokens.router)
    app.include_router(oauth.login_router(accounts))
    app.router.routes.extend(oauth.routes(accounts))
    mount_mcp(app, mcp)
    web.install(app)
    openapi.document(app)
    # Request id, metrics, access log and the backstop 500 (with that id) in one layer.
    app.add_middleware(RequestContextMiddleware, metrics=http_metrics)
    return app
