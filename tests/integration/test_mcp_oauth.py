"""An MCP client connecting as Claude or an IDE does: the official `mcp` client's OAuth provider
discovers the authorization server from the 401, registers itself, sends the user to sign in
(PKCE), redeems the code, calls tools, and refreshes its token, all against the running app."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import secrets
import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from mcp import ClientSession
from mcp.client.auth import OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata, OAuthToken

from tests.conftest import User

PASSWORD = "correct horse battery"
REDIRECT = "http://127.0.0.1:33418/callback"


class MemoryStorage:
    """The client's token store (a real client keeps it on disk)."""

    def __init__(self) -> None:
        self.tokens: OAuthToken | None = None
        self.client: OAuthClientInformationFull | None = None

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client = client_info


class Browser:
    """The user's browser: follows the authorization URL to our login page and signs in."""

    def __init__(self, user: User, *, decision: str = "allow") -> None:
        self.user, self.decision = user, decision
        self.landed: str | None = None
        self.pages: list[httpx.Response] = []

    async def open(self, url: str) -> None:
        async with httpx.AsyncClient(timeout=10, follow_redirects=True) as browser:
            page = await browser.get(url)
            self.pages.append(page)
            assert page.status_code == 200, page.text
            signed = html.unescape(re.search(r'name="request" value="([^"]+)"', page.text)[1])
            answer = await browser.post(
                str(page.url).split("?")[0],
                data={
                    "request": signed,
                    "email": self.user.email,
                    "password": PASSWORD,
                    "decision": self.decision,
                },
                follow_redirects=False,
            )
            assert answer.status_code == 303, answer.text
            self.landed = answer.headers["location"]

    async def callback(self) -> tuple[str, str | None]:
        assert self.landed is not None
        query = parse_qs(urlsplit(self.landed).query)
        return query["code"][0], query.get("state", [None])[0]


def oauth(api_url: str, browser: Browser, storage: MemoryStorage) -> OAuthClientProvider:
    return OAuthClientProvider(
        server_url=f"{api_url}/mcp",  # as the protected-resource metadata names it
        client_metadata=OAuthClientMetadata(
            client_name="Test Desktop",
            redirect_uris=[REDIRECT],  # type: ignore[list-item]
            grant_types=["authorization_code", "refresh_token"],
            response_types=["code"],
            token_endpoint_auth_method="none",
        ),
        storage=storage,
        redirect_handler=browser.open,
        callback_handler=browser.callback,
    )


async def tool(session: ClientSession, name: str, args: dict) -> dict:
    result = await session.call_tool(name, args)
    assert not result.isError, result.content
    assert result.structuredContent is not None
    return result.structuredContent


async def test_an_mcp_client_signs_in_with_oauth_and_keeps_working_after_the_token_expires(
    api_url: str, alice: User
) -> None:
    storage = MemoryStorage()
    browser = Browser(alice)
    auth = oauth(api_url, browser, storage)
    async with (
        httpx.AsyncClient(auth=auth, timeout=10) as client,
        streamable_http_client(f"{api_url}/mcp", http_client=client) as (read, write, _),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        assert "Test Desktop" in browser.pages[0].text  # the user sees who asks
        me = await tool(session, "whoami", {})
        assert me["email"] == alice.email
        assert me["timezone"] == "Asia/Karachi"
        assert me["utc_offset"] == "+05:00"
        assert me["now"].endswith("+05:00")
        # A wall-clock time is read in the user's zone: 09:00 in Karachi is 04:00 UTC.
        made = await tool(session, "create_task", {"title": "oauth", "due": "2026-12-01T09:00:00"})
        assert made["due"] == "2026-12-01T04:00:00Z"

        first = storage.tokens
        assert first is not None
        assert first.refresh_token
        assert first.expires_in == 3600
        assert set((first.scope or "").split()) == {"tasks:read", "tasks:write"}
        # An hour later the access token has expired: the client refreshes, nobody signs in.
        auth.context.token_expiry_time = time.time() - 1
        listed = await tool(session, "list_tasks", {})
        assert [t["title"] for t in listed["tasks"]] == ["oauth"]
    assert len(browser.pages) == 1
    second = storage.tokens
    assert second is not None
    assert second.access_token != first.access_token
    assert second.refresh_token != first.refresh_token

    # The same access token works on REST, and a used refresh token is spent (rotation).
    rest = await alice.client.get(
        f"/v1/tasks/{made['id']}", headers={"Authorization": f"Bearer {second.access_token}"}
    )
    assert rest.status_code == 200
    assert storage.client is not None
    again = await alice.client.post(
        "/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": first.refresh_token,
            "client_id": storage.client.client_id,
        },
    )
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    # Presenting a used refresh token means it leaked: the grant ends, the current one too.
    current = await alice.client.post(
        "/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": second.refresh_token,
            "client_id": storage.client.client_id,
        },
    )
    assert current.status_code == 400


async def test_the_401_leads_to_metadata_on_this_host_and_port(api_url: str) -> None:
    async with httpx.AsyncClient(base_url=api_url, timeout=10) as client:
        refused = await client.post("/mcp/", json={})
        assert refused.status_code == 401
        pointer = re.search(r'resource_metadata="([^"]+)"', refused.headers["www-authenticate"])
        assert pointer is not None
        assert pointer[1] == f"{api_url}/.well-known/oauth-protected-resource/mcp"
        resource = (await client.get(pointer[1])).json()
        assert resource["resource"] == f"{api_url}/mcp"
        bare = await client.get("/.well-known/oauth-protected-resource")
        assert bare.json() == resource
        assert resource["authorization_servers"] == [f"{api_url}/"]
        issuer = resource["authorization_servers"][0].rstrip("/")
        server = (await client.get(f"{issuer}/.well-known/oauth-authorization-server")).json()
        assert server["code_challenge_methods_supported"] == ["S256"]
        assert server["registration_endpoint"] == f"{api_url}/register"
        assert {"authorization_code", "refresh_token"} <= set(server["grant_types_supported"])
        for endpoint in ("authorization_endpoint", "token_endpoint", "revocation_endpoint"):
            assert server[endpoint].startswith(api_url)


async def _registered(client: httpx.AsyncClient, name: str = "Manual") -> str:
    made = await client.post(
        "/register",
        json={"client_name": name, "redirect_uris": [REDIRECT],
              "token_endpoint_auth_method": "none"},
    )  # fmt: skip
    assert made.status_code == 201, made.text
    return made.json()["client_id"]


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.decode().rstrip("=")


async def _authorize(
    client: httpx.AsyncClient, client_id: str, challenge: str, scope: str
) -> httpx.Response:
    return await client.get(
        "/authorize",
        params={"response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT,
                "code_challenge": challenge, "code_challenge_method": "S256", "state": "s1",
                "scope": scope},
    )  # fmt: skip


async def test_a_code_needs_its_pkce_verifier_works_once_and_a_read_scope_cannot_write(
    api_url: str, http: httpx.AsyncClient, alice: User
) -> None:
    client_id = await _registered(http)
    verifier, challenge = _pkce()
    sent = await _authorize(http, client_id, challenge, "tasks:read")
    assert sent.status_code == 302
    browser = Browser(alice)
    await browser.open(str(http.base_url.join(sent.headers["location"])))
    code, state = await browser.callback()
    assert state == "s1"

    def exchange(with_verifier: str) -> dict[str, str]:
        return {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
                "client_id": client_id, "code_verifier": with_verifier}  # fmt: skip

    wrong = await http.post("/token", data=exchange(secrets.token_urlsafe(48)))
    assert wrong.status_code == 400
    tokens = await http.post("/token", data=exchange(verifier))
    assert tokens.status_code == 200, tokens.text
    assert tokens.json()["scope"] == "tasks:read"
    replayed = await http.post("/token", data=exchange(verifier))
    assert replayed.status_code == 400

    bearer = {"Authorization": f"Bearer {tokens.json()['access_token']}"}
    assert (await http.get("/v1/tasks", headers=bearer)).status_code == 200
    refused = await http.post("/v1/tasks", json={"title": "nope"}, headers=bearer)
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/insufficient-scope")
    async with (
        httpx.AsyncClient(headers=bearer, timeout=10) as client,
        streamable_http_client(f"{api_url}/mcp/", http_client=client) as (read, write, _),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        assert (await tool(session, "list_tasks", {}))["tasks"] == []
        denied = await session.call_tool("create_task", {"title": "nope"})
        assert denied.isError
        assert "tasks:write" in json.dumps(denied.model_dump(mode="json"))


async def test_a_wrong_password_or_a_denial_gives_no_code(
    http: httpx.AsyncClient, alice: User
) -> None:
    client_id = await _registered(http, "<script>alert(1)</script>")
    _, challenge = _pkce()
    sent = await _authorize(http, client_id, challenge, "tasks:read tasks:write")
    login = str(http.base_url.join(sent.headers["location"]))
    page = await http.get(login)
    assert 'lang="en"' in page.text
    assert "<script>" not in page.text
    assert "&lt;script&gt;" in page.text  # a client names itself; the page never runs it
    urdu = await http.get(login, headers={"Accept-Language": "ur-PK,ur;q=0.9,en;q=0.5"})
    assert 'dir="rtl"' in urdu.text
    assert "پاس ورڈ" in urdu.text
    signed = html.unescape(re.search(r'name="request" value="([^"]+)"', page.text)[1])
    wrong = await http.post(
        login.split("?")[0], data={"request": signed, "email": alice.email, "password": "nope"}
    )
    assert wrong.status_code == 401
    assert "wrong" in wrong.text
    denied = await http.post(
        login.split("?")[0], data={"request": signed, "decision": "deny"}, follow_redirects=False
    )
    assert denied.status_code == 303
    assert parse_qs(urlsplit(denied.headers["location"]).query)["error"] == ["access_denied"]
    forged = await http.post(
        login.split("?")[0],
        data={"request": signed[:-4] + "AAAA", "email": alice.email, "password": PASSWORD},
    )
    assert forged.status_code == 400


@pytest.mark.parametrize("scope", ["tasks:admin"])
async def test_an_unknown_scope_is_refused_at_the_authorization_endpoint(
    http: httpx.AsyncClient, scope: str
) -> None:
    client_id = await _registered(http)
    _, challenge = _pkce()
    sent = await _authorize(http, client_id, challenge, scope)
    assert sent.status_code == 302
    assert parse_qs(urlsplit(sent.headers["location"]).query)["error"] == ["invalid_scope"]
