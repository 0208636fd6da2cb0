"""The MCP endpoint at /mcp through the official `mcp` client over streamable HTTP."""

from __future__ import annotations

import json

import httpx
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from tests.conftest import User


async def call(api_url: str, token: str | None, tool: str, args: dict) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with (
        httpx.AsyncClient(headers=headers, timeout=10) as client,
        streamable_http_client(f"{api_url}/mcp/", http_client=client) as (read, write, _),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        result = await session.call_tool(tool, args)
        assert not result.isError, result.content
        return json.loads(result.content[0].text)


async def test_any_mcp_client_manages_the_users_own_tasks(api_url: str, alice: User, bob: User):
    async with (
        httpx.AsyncClient(headers=alice.headers, timeout=10) as client,
        streamable_http_client(f"{api_url}/mcp/", http_client=client) as (read, write, _),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        names = {t.name for t in (await session.list_tools()).tools}
        assert names == {
            "create_task",
            "update_task",
            "complete_task",
            "reopen_task",
            "delete_task",
            "set_reminder",
            "list_tasks",
            "get_task",
            "whoami",
        }
        made = await session.call_tool(
            "create_task", {"title": "via MCP", "due": "2026-12-01T09:00:00+05:00"}
        )
        task = json.loads(made.content[0].text)
        assert task["due"] == "2026-12-01T04:00:00Z"

    rest = await alice.request("GET", f"/v1/tasks/{task['id']}")
    assert rest.json()["title"] == "via MCP"
    # Bob's token sees none of it, whatever arguments he sends.
    theirs = await call(api_url, bob.token, "list_tasks", {})
    assert theirs["tasks"] == []
    headers = {"Authorization": f"Bearer {bob.token}"}
    async with (
        httpx.AsyncClient(headers=headers, timeout=10) as client,
        streamable_http_client(f"{api_url}/mcp/", http_client=client) as (read, write, _),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        denied = await session.call_tool("delete_task", {"task_id": task["id"]})
        assert denied.isError
        assert "no task" in denied.content[0].text
        unseen = await session.call_tool("get_task", {"task_id": task["id"]})
        assert unseen.isError
        assert "no task" in unseen.content[0].text
    still = await alice.request("GET", f"/v1/tasks/{task['id']}")
    assert still.status_code == 200


@pytest.mark.parametrize("token", [None, "not-a-jwt"])
async def test_a_missing_or_wrong_token_is_refused(api_url: str, token: str | None) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(timeout=10) as client:
        r = await client.post(
            f"{api_url}/mcp/",
            headers={
                **headers,
                "Accept": "application/json, text/event-stream",
                "Content-Type": "application/json",
            },
            json={
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {
                    "protocolVersion": "2025-06-18",
                    "capabilities": {},
                    "clientInfo": {"name": "t", "version": "1"},
                },
            },
        )
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")
    # The official client refuses to go on without credentials (it raises out of its task group).
    with pytest.raises(BaseExceptionGroup) as refused:
        await call(api_url, token, "list_tasks", {})
    assert "401" in repr(refused.value.exceptions)


async def test_tools_say_what_they_do_and_what_they_return(api_url: str, alice: User) -> None:
    async with (
        httpx.AsyncClient(headers=alice.headers, timeout=10) as client,
        streamable_http_client(f"{api_url}/mcp/", http_client=client) as (read, write, _),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        tools = {t.name: t for t in (await session.list_tools()).tools}
        reads = {n for n, t in tools.items() if t.annotations and t.annotations.readOnlyHint}
        assert reads == {"whoami", "get_task", "list_tasks"}
        assert tools["delete_task"].annotations.destructiveHint is True
        assert tools["create_task"].annotations.destructiveHint is False
        assert tools["create_task"].annotations.idempotentHint is False
        assert tools["complete_task"].annotations.idempotentHint is True
        for name, t in tools.items():
            assert t.outputSchema is not None, name
        assert "owner_id" not in tools["get_task"].outputSchema["properties"]
        assert "next_cursor" in tools["list_tasks"].outputSchema["properties"]

        me = (await session.call_tool("whoami", {})).structuredContent
        assert me["timezone"] == "Asia/Karachi"
        assert me["now"].endswith("+05:00")
        # Local wall-clock times in the user's zone; an explicit offset is kept as given.
        made = await session.call_tool(
            "create_task", {"title": "local", "due": "2026-07-01T18:30:00"}
        )
        task = made.structuredContent
        assert task["due"] == "2026-07-01T13:30:00Z"
        assert "owner_id" not in task
        reminded = await session.call_tool(
            "set_reminder", {"task_id": task["id"], "at": "2026-07-01T17:00:00"}
        )
        assert reminded.structuredContent["reminders"][-1]["at"] == "2026-07-01T12:00:00Z"
        window = await session.call_tool(
            "list_tasks", {"due_from": "2026-07-01T18:30:00", "due_to": "2026-07-01T18:31:00"}
        )
        assert [t["title"] for t in window.structuredContent["tasks"]] == ["local"]
        outside = await session.call_tool("list_tasks", {"due_from": "2026-07-01T18:31:00"})
        assert outside.structuredContent["tasks"] == []


async def test_mcp_answers_on_its_public_host_and_refuses_a_rebound_one(
    settings, alice: User
) -> None:
    """Behind an ingress the Host is the public one: FastMCP's loopback-only default refused it."""
    from api.app import create_app

    app = create_app(settings.model_copy(update={"public_url": "https://todo.example.com"}))
    transport = httpx.ASGITransport(app=app)
    answers = {}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://todo.example.com") as client,
    ):
        for host, path in (("todo.example.com", "/mcp"), ("127.0.0.1:8000", "/mcp/"),
                           ("evil.example", "/mcp/")):  # fmt: skip
            r = await client.post(
                path,
                headers={**alice.headers, "Host": host,
                         "Accept": "application/json, text/event-stream"},
                json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
            )  # fmt: skip
            answers[host] = r.status_code
    assert answers == {"todo.example.com": 200, "127.0.0.1:8000": 200, "evil.example": 421}
