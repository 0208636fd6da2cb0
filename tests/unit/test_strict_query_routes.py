"""Every route of the API's contract refuses unknown query parameters through its route class.

The check used to be an app-wide dependency, which every route got by being included; as a route
class a router has to ask for it, so this keeps a new router from quietly skipping it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi.routing import APIRoute

from api.app import create_app
from api.openapi import LENIENT_QUERY, StrictQueryRoute
from core.settings import Settings


def _routes(routes: list[Any]) -> Iterator[Any]:
    # `include_router` keeps the router it includes (FastAPI 0.16x), not copies of its routes.
    for route in routes:
        included = getattr(route, "original_router", None)
        yield from _routes(included.routes) if included is not None else (route,)


def test_every_documented_route_checks_its_query() -> None:
    app = create_app(Settings())
    unchecked = [
        f"{sorted(route.methods)} {route.path}"
        for route in _routes(app.routes)
        if isinstance(route, APIRoute)
        and route.include_in_schema
        and route.openapi_extra != LENIENT_QUERY
        and not isinstance(route, StrictQueryRoute)
    ]
    assert unchecked == []
    assert sum(isinstance(r, StrictQueryRoute) for r in _routes(app.routes)) > 20
