"""An unexpected exception still answers with a problem+json 500 that carries the request's id,
in the body and in the X-Request-ID header, so a report can be matched to the logs."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from api.app import create_app
from core.settings import Settings


@pytest.fixture
async def crashing_app(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The real app with one extra route, added here only, that fails like a bug would."""
    app: FastAPI = create_app(settings)

    async def boom() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/test-only/boom", boom, methods=["GET"])
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_a_500_carries_the_given_request_id(crashing_app: httpx.AsyncClient) -> None:
    r = await crashing_app.get("/test-only/boom", headers={"X-Request-ID": "req-boom-1"})
    assert r.status_code == 500
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["x-request-id"] == "req-boom-1"
    problem = r.json()
    assert problem["correlation_id"] == "req-boom-1"
    assert problem["status"] == 500
    assert "a bug" not in problem["detail"]  # internals stay in the log


async def test_a_500_carries_a_made_request_id(crashing_app: httpx.AsyncClient) -> None:
    r = await crashing_app.get("/test-only/boom")
    assert r.status_code == 500
    made = r.headers["x-request-id"]
    assert len(made) == 32
    assert r.json()["correlation_id"] == made
