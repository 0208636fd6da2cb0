"""A tiny /health, /ready, /metrics server for processes that are not the API (relay, consumers)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

ReadyCheck = Callable[[], Awaitable[dict[str, str]]]


def ops_app(registry: CollectorRegistry, ready: ReadyCheck) -> Starlette:
    async def health(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readiness(_: Request) -> Response:
        checks = await ready()
        healthy = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ok" if healthy else "unavailable", "checks": checks},
            status_code=200 if healthy else 503,
        )

    async def metrics(_: Request) -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return Starlette(
        routes=[Route("/health", health), Route("/ready", readiness), Route("/metrics", metrics)]
    )


def ops_server(app: Starlette, host: str, port: int) -> uvicorn.Server:
    config = uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False)
    server = uvicorn.Server(config)
    # The owning process handles signals (uvicorn has no public switch for this).
    server.install_signal_handlers = lambda: None  # type: ignore[attr-defined]
    return server
