"""The production ingress routes every endpoint the OAuth 2.1 server's metadata names, and the
MCP endpoint: an MCP client that signs in must reach each of them through the ingress."""

from __future__ import annotations

from deploy_support import objects
from starlette.routing import Route

from api.oauth import LOGIN_PATH, AccountProvider, routes


def test_the_ingress_routes_every_oauth_endpoint_and_mcp() -> None:
    (ingress,) = objects("production", "Ingress")
    (rule,) = ingress["spec"]["rules"]
    prefixes = [p["path"] for p in rule["http"]["paths"] if p["pathType"] == "Prefix"]
    provider = AccountProvider(lambda: None, "https://todo.example.org")  # type: ignore[arg-type, return-value]
    needed = [r.path for r in routes(provider) if isinstance(r, Route)] + [LOGIN_PATH, "/mcp"]
    assert "/token" in needed
    unrouted = [p for p in needed if not any(p == x or p.startswith(x + "/") for x in prefixes)]
    assert unrouted == []
