"""Personal access tokens: named, scoped, revocable; a Bearer header on REST and MCP alike."""

from __future__ import annotations

import httpx
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from tests.conftest import User, register


async def make(user: User, name: str, **body) -> httpx.Response:
    return await user.request("POST", "/v1/auth/tokens", json={"name": name, **body})


async def mcp_tools(api_url: str, token: str) -> tuple[list[str], dict]:
    """The tool names, and what list_tasks answers, for this token over /mcp."""
    async with (
        httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=10) as client,
        streamable_http_client(f"{api_url}/mcp/", http_client=client) as (read, write, _),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        names = [t.name for t in (await session.list_tools()).tools]
        listed = await session.call_tool("list_tasks", {})
        assert not listed.isError
        return names, listed.structuredContent or {}


async def test_a_personal_token_works_on_rest_and_mcp_until_it_is_revoked(
    api_url: str, alice: User
) -> None:
    made = await make(alice, "laptop script")
    assert made.status_code == 201, made.text
    body = made.json()
    secret = body["token"]
    assert secret.startswith("tdo_pat_")
    assert body["scopes"] == ["tasks:read", "tasks:write"]
    pat = User(alice.client, alice.id, secret, alice.email)

    created = await pat.request("POST", "/v1/tasks", json={"title": "from a script"})
    assert created.status_code == 201
    _, listed = await mcp_tools(api_url, secret)
    assert [t["title"] for t in listed["tasks"]] == ["from a script"]

    mine = (await alice.request("GET", "/v1/auth/tokens")).json()
    assert [(t["name"], "token" in t) for t in mine] == [("laptop script", False)]
    assert mine[0]["last_used_at"] is not None

    assert (await alice.request("DELETE", f"/v1/auth/tokens/{body['id']}")).status_code == 204
    refused = await pat.request("GET", "/v1/tasks")
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    with pytest.raises(BaseExceptionGroup) as closed:
        await mcp_tools(api_url, secret)
    assert "401" in repr(closed.value.exceptions)
    assert (await alice.request("GET", "/v1/auth/tokens")).json() == []


async def test_a_read_only_token_reads_and_changes_nothing(api_url: str, alice: User) -> None:
    made = await make(alice, "dashboard", scopes=["tasks:read"])
    reader = User(alice.client, alice.id, made.json()["token"], alice.email)
    assert (await reader.request("GET", "/v1/tasks")).status_code == 200
    for method, url, body in [
        ("POST", "/v1/tasks", {"title": "x"}),
        ("POST", "/v1/chat", {"message": "add buy milk"}),
        ("PATCH", "/v1/auth/me", {"locale": "ur"}),
    ]:
        refused = await reader.request(method, url, json=body)
        assert refused.status_code == 403, (url, refused.text)
        assert refused.json()["type"].endswith("/insufficient-scope")
    async with (
        httpx.AsyncClient(headers=reader.headers, timeout=10) as client,
        streamable_http_client(f"{api_url}/mcp/", http_client=client) as (read, write, _),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        denied = await session.call_tool("create_task", {"title": "x"})
        assert denied.isError
    assert (await alice.request("GET", "/v1/tasks")).json()["items"] == []


async def test_tokens_are_managed_with_a_login_only_and_names_are_unique(
    http: httpx.AsyncClient, alice: User
) -> None:
    first = await make(alice, "ci")
    pat = User(alice.client, alice.id, first.json()["token"], alice.email)
    minted = await make(pat, "another")
    assert minted.status_code == 403
    assert minted.json()["type"].endswith("/login-required")
    assert (await pat.request("GET", "/v1/auth/tokens")).status_code == 403

    twice = await make(alice, "ci")
    assert twice.status_code == 409
    assert (await make(alice, "x", scopes=["tasks:admin"])).status_code == 422
    assert (await make(alice, "x", expires_in_days=0)).status_code == 422
    assert (await make(alice, "")).status_code == 422

    # Someone else's token is not theirs to see or revoke.
    bob = await register(http)
    assert (await bob.request("GET", "/v1/auth/tokens")).json() == []
    other = await bob.request("DELETE", f"/v1/auth/tokens/{first.json()['id']}")
    assert other.status_code == 404
    assert (await pat.request("GET", "/v1/tasks")).status_code == 200
    # A revoked token's name may be used again.
    await alice.request("DELETE", f"/v1/auth/tokens/{first.json()['id']}")
    assert (await make(alice, "ci")).status_code == 201


async def test_an_expired_token_is_refused(alice: User, pool) -> None:
    made = (await make(alice, "short", expires_in_days=1)).json()
    await pool.execute(
        "UPDATE app.personal_access_tokens SET expires_at = now() - interval '1 second'"
        " WHERE id = $1",
        made["id"],
    )
    pat = User(alice.client, alice.id, made["token"], alice.email)
    assert (await pat.request("GET", "/v1/tasks")).status_code == 401
