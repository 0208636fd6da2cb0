"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.deps import ServicesDep
from api.openapi import StrictQueryRoute

router = APIRouter(tags=["operations"], route_class=StrictQueryRoute)


@router.get("/health")
async def health() -> dict[str, str]:
    """Alive: the process answers. Says nothing about its dependencies."""
    return {"status": "ok"}


@router.get("/ready")
async def ready(services: ServicesDep) -> JSONResponse:
    """Ready: the database and the broker answer."""
    checks: dict[str, str] = {}
    try:
        await asyncio.wait_for(services.pool.fetchval("SELECT 1"), 2)
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"unreachable: {type(exc).__name__}"
    if services.broker is None:
        checks["broker"] = "not configured"
    else:
        ok = await services.broker.ping(timeout=2.0)
        checks["broker"] = "ok" if ok else "unreachable"
    healthy = all(v in ("ok", "not configured") for v in checks.values())
    return JSONResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status_code=200 if healthy else 503,
    )


@router.get("/metrics", include_in_schema=False)
async def metrics(services: ServicesDep) -> Response:
    registry = services.extras["registry"]
    backlog = services.extras["outbox_backlog"]
    try:
        backlog.set(
            await services.pool.fetchval(
                "SELECT count(*) FROM app.outbox o WHERE (o.txid, o.id) >"
                " ((SELECT txid FROM app.outbox_cursor), (SELECT id FROM app.outbox_cursor))"
            )
        )
    except Exception:
        backlog.set(-1)  # unknown: the database did not answer
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
