"""The OAuth 2.1 authorization server MCP clients (Claude, IDEs) use to connect to `/mcp`.

The protocol is the `mcp` library's (`mcp.server.auth`): metadata (RFC 8414), dynamic client
registration (RFC 7591), the authorization endpoint with PKCE (S256 only), the token endpoint
with refresh tokens, revocation. What it leaves to us is this provider: where clients, codes
and refresh tokens are kept (Postgres, `domain/store/oauth.py`) and how the user approves a
client, which is the product's own login: `/authorize` sends the browser to `/oauth/login`,
the user signs in with their account, and the page redirects back to the client with a code.

Access tokens are the API's JWTs carrying the granted scopes, so REST and MCP accept them alike;
they live `JWT_TTL_SECONDS`, and the refresh token (rotated on every use, 30 days) renews them,
so a configured client keeps working without the user signing in again.
"""

from __future__ import annotations

import html
import secrets
import time
import uuid
from collections.abc import Callable
from typing import Annotated, Any

import jwt
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from mcp.server.auth.provider import (
    AccessToken,
    AuthorizationCode,
    AuthorizationParams,
    AuthorizeError,
    RefreshToken,
    TokenError,
    construct_redirect_uri,
)
from mcp.server.auth.routes import create_auth_routes, create_protected_resource_routes
from mcp.server.auth.settings import ClientRegistrationOptions, RevocationOptions
from mcp.shared.auth import OAuthClientInformationFull, OAuthToken
from pydantic import AnyHttpUrl
from starlette.routing import BaseRoute, Route

from api.security import ALL_SCOPES, InvalidToken, verify_password
from api.services import Services
from domain.store import CodeGrant, OAuthStore, RefreshGrant
from domain.store.oauth import expiry

SCOPES = sorted(ALL_SCOPES)
CODE_TTL_S = 300
LOGIN_TTL_S = 600
REFRESH_TTL_S = 30 * 24 * 3600
LOGIN_PATH = "/oauth/login"
_LOGIN_AUDIENCE = "todo-agent/oauth-login"


class AccountProvider:
    """`mcp.server.auth`'s OAuthAuthorizationServerProvider over our users and store."""

    def __init__(self, services: Callable[[], Services], public_url: str) -> None:
        self._services = services
        self.public_url = public_url

    @property
    def _store(self) -> OAuthStore:
        return OAuthStore(self._services().pool)

    @property
    def _secret(self) -> str:
        return self._services().settings.jwt_secret.get_secret_value()

    async def get_client(self, client_id: str) -> OAuthClientInformationFull | None:
        found = await self._store.client(client_id)
        return None if found is None else OAuthClientInformationFull.model_validate(found)

    async def register_client(self, client_info: OAuthClientInformationFull) -> None:
        assert client_info.client_id is not None  # the registration handler assigns one
        await self._store.add_client(
            client_info.client_id, client_info.model_dump(mode="json", exclude_none=True)
        )

    async def authorize(
        self, client: OAuthClientInformationFull, params: AuthorizationParams
    ) -> str:
        """Send the browser to our login page with the request, signed so it cannot be altered."""
        request = {
            "aud": _LOGIN_AUDIENCE,
            "exp": int(time.time()) + LOGIN_TTL_S,
            "client_id": client.client_id,
            "client_name": client.client_name,
            "redirect_uri": str(params.redirect_uri),
            "redirect_uri_explicit": params.redirect_uri_provided_explicitly,
            "state": params.state,
            "scopes": params.scopes or SCOPES,
            "code_challenge": params.code_challenge,
            "resource": params.resource,
        }
        signed = jwt.encode(request, self._secret, algorithm="HS256")
        return construct_redirect_uri(f"{self.public_url}{LOGIN_PATH}", request=signed)

    def pending(self, signed: str) -> dict[str, Any]:
        """The authorization request behind a login form; AuthorizeError if forged or stale."""
        try:
            return jwt.decode(signed, self._secret, algorithms=["HS256"], audience=_LOGIN_AUDIENCE)
        except jwt.PyJWTError as exc:
            raise AuthorizeError("invalid_request", "the sign-in link is stale; retry") from exc

    async def approve(self, request: dict[str, Any], user_id: uuid.UUID) -> str:
        """The user signed in: a one-time code, and where to send the browser with it."""
        code = secrets.token_urlsafe(32)
        await self._store.add_code(
            code,
            CodeGrant(
                client_id=request["client_id"],
                user_id=user_id,
                scopes=request["scopes"],
                code_challenge=request["code_challenge"],
                redirect_uri=request["redirect_uri"],
                redirect_uri_explicit=request["redirect_uri_explicit"],
                resource=request.get("resource"),
                expires_at=expiry(CODE_TTL_S),
            ),
        )
        return construct_redirect_uri(request["redirect_uri"], code=code, state=request["state"])

    async def load_authorization_code(
        self, client: OAuthClientInformationFull, authorization_code: str
    ) -> AuthorizationCode | None:
        assert client.client_id is not None
        grant = await self._store.code(client.client_id, authorization_code)
        if grant is None:
            return None
        return AuthorizationCode(
            code=authorization_code,
            scopes=grant.scopes,
            expires_at=grant.expires_at.timestamp(),
            client_id=grant.client_id,
            code_challenge=grant.code_challenge,
            redirect_uri=grant.redirect_uri,  # pydantic coerces the text to a URL
            redirect_uri_provided_explicitly=grant.redirect_uri_explicit,
            resource=grant.resource,
            subject=str(grant.user_id),
        )

    async def exchange_authorization_code(
        self, client: OAuthClientInformationFull, authorization_code: AuthorizationCode
    ) -> OAuthToken:
        if not await self._store.redeem_code(authorization_code.code):
            raise TokenError("invalid_grant", "this authorization code was used already")
        assert authorization_code.subject is not None
        refresh = secrets.token_urlsafe(32)
        grant = RefreshGrant(
            client_id=authorization_code.client_id,
            user_id=uuid.UUID(authorization_code.subject),
            scopes=authorization_code.scopes,
            resource=authorization_code.resource,
            expires_at=expiry(REFRESH_TTL_S),
        )
        await self._store.add_refresh(refresh, grant)
        return self._tokens(grant, refresh)

    async def load_refresh_token(
        self, client: OAuthClientInformationFull, refresh_token: str
    ) -> RefreshToken | None:
        assert client.client_id is not None
        grant = await self._store.refresh(client.client_id, refresh_token)
        if grant is None:
            return None
        return RefreshToken(
            token=refresh_token,
            client_id=grant.client_id,
            scopes=grant.scopes,
            expires_at=int(grant.expires_at.timestamp()),
            resource=grant.resource,
            subject=str(grant.user_id),
        )

    async def exchange_refresh_token(
        self, client: OAuthClientInformationFull, refresh_token: RefreshToken, scopes: list[str]
    ) -> OAuthToken:
        assert refresh_token.subject is not None
        grant = RefreshGrant(
            client_id=refresh_token.client_id,
            user_id=uuid.UUID(refresh_token.subject),
            scopes=scopes or refresh_token.scopes,  # the handler allows only a subset
            resource=refresh_token.resource,
            expires_at=expiry(REFRESH_TTL_S),
        )
        fresh = secrets.token_urlsafe(32)
        if not await self._store.rotate_refresh(refresh_token.token, fresh, grant):
            raise TokenError("invalid_grant", "this refresh token was used already")
        return self._tokens(grant, fresh)

    async def load_access_token(self, token: str) -> AccessToken | None:
        try:
            grant = await self._services().tokens.grant(token)
        except InvalidToken:
            return None
        if grant.client_id is None:
            return None  # a login token is not this server's to revoke
        return AccessToken(
            token=token,
            client_id=grant.client_id,
            scopes=sorted(grant.scopes),
            subject=str(grant.user_id),
        )

    async def revoke_token(self, token: AccessToken | RefreshToken) -> None:
        # Both kinds end the client's grant: its refresh tokens stop at once, and the access
        # tokens it holds expire within JWT_TTL_SECONDS (they are not looked up per request).
        if token.subject is not None:
            await self._store.revoke_grant(uuid.UUID(token.subject), token.client_id)

    def _tokens(self, grant: RefreshGrant, refresh: str) -> OAuthToken:
        services = self._services()
        access = services.tokens.issue(
            grant.user_id, scopes=grant.scopes, client_id=grant.client_id
        )
        return OAuthToken(
            access_token=access,
            expires_in=services.settings.jwt_ttl_seconds,
            scope=" ".join(grant.scopes),
            refresh_token=refresh,
        )


def routes(provider: AccountProvider) -> list[BaseRoute]:
    """The library's authorization-server endpoints and the protected-resource metadata of
    `/mcp`, at the API's root where RFC 8414 and RFC 9728 clients look for them (also at the bare
    `/.well-known/oauth-protected-resource`, where clients that skip the 401's pointer look)."""
    public = provider.public_url
    resource = create_protected_resource_routes(
        resource_url=AnyHttpUrl(f"{public}/mcp"),
        authorization_servers=[AnyHttpUrl(public)],
        scopes_supported=SCOPES,
        resource_name="todo-agent",
        resource_documentation=AnyHttpUrl(f"{public}/docs"),
    )
    bare = [Route("/.well-known/oauth-protected-resource", r.endpoint, methods=["GET", "OPTIONS"])
            for r in resource if isinstance(r, Route)]  # fmt: skip
    return [
        *create_auth_routes(
            provider,
            issuer_url=AnyHttpUrl(public),
            service_documentation_url=AnyHttpUrl(f"{public}/docs"),
            client_registration_options=ClientRegistrationOptions(
                enabled=True, valid_scopes=SCOPES, default_scopes=SCOPES
            ),
            revocation_options=RevocationOptions(enabled=True),
        ),
        *resource,
        *bare,
    ]


def login_router(provider: AccountProvider) -> APIRouter:
    """The page where a user lets an MCP client at their tasks, by signing in."""
    router = APIRouter(include_in_schema=False)

    @router.get(LOGIN_PATH)
    async def login_page(
        http: Request, request: Annotated[str, Query(max_length=4000)]
    ) -> Response:
        words = _words(http)
        try:
            pending = provider.pending(request)
        except AuthorizeError:
            return _page(words, None, words["stale"], status=400)
        return _page(words, pending, None, signed=request)

    @router.post(LOGIN_PATH)
    async def login(
        http: Request,
        request: Annotated[str, Form(max_length=4000)],
        email: Annotated[str, Form(max_length=320)] = "",
        password: Annotated[str, Form(max_length=200)] = "",
        decision: Annotated[str, Form(max_length=10)] = "allow",
    ) -> Response:
        words = _words(http)
        try:
            pending = provider.pending(request)
        except AuthorizeError:
            return _page(words, None, words["stale"], status=400)
        if decision != "allow":
            denied = construct_redirect_uri(
                pending["redirect_uri"], error="access_denied", state=pending["state"]
            )
            return RedirectResponse(denied, status_code=303)
        services: Services = http.app.state.services
        found = await services.users.credentials(email)
        ok = await verify_password(found[1] if found else None, password)
        if not found or not ok:
            return _page(words, pending, words["wrong"], signed=request, status=401)
        target = await provider.approve(pending, found[0].id)
        return RedirectResponse(target, status_code=303)

    return router


# The page speaks the browser's language: English, or Urdu when the browser prefers it.
_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "dir": "ltr", "title": "sign in", "someone": "An application", "asks": "asks to",
        "tasks:read": "see your tasks", "tasks:write": "add, change and delete your tasks",
        "email": "Email", "password": "Password", "allow": "Sign in and allow", "deny": "Deny",
        "wrong": "The email or password is wrong.",
        "stale": "This sign-in link has expired or was altered; start again from your app.",
    },
    "ur": {
        "dir": "rtl", "title": "سائن ان", "someone": "ایک ایپ", "asks": "یہ اجازت مانگتی ہے:",
        "tasks:read": "آپ کے کام دیکھنا", "tasks:write": "آپ کے کام بنانا، بدلنا اور مٹانا",
        "email": "ای میل", "password": "پاس ورڈ", "allow": "سائن ان کریں اور اجازت دیں",
        "deny": "انکار", "wrong": "ای میل یا پاس ورڈ غلط ہے۔",
        "stale": "یہ سائن ان لنک پرانا ہو گیا یا بدل دیا گیا؛ اپنی ایپ سے دوبارہ شروع کریں۔",
    },
}  # fmt: skip


def _words(request: Request) -> dict[str, str]:
    accept = request.headers.get("accept-language", "")
    first = accept.split(",")[0].split(";")[0].strip().lower()
    return _WORDS["ur" if first.startswith("ur") else "en"]


def _page(
    words: dict[str, str],
    pending: dict[str, Any] | None,
    error: str | None,
    *,
    signed: str = "",
    status: int = 200,
) -> HTMLResponse:
    alert = f"<p role='alert'>{html.escape(error)}</p>" if error else ""
    if pending is None:
        body = alert
    else:
        who = html.escape(pending.get("client_name") or words["someone"])
        comma = "، " if words["dir"] == "rtl" else ", "
        asks = html.escape(comma.join(words.get(s, s) for s in pending["scopes"]))
        body = f"""<p><b>{who}</b> {words["asks"]} {asks}.</p>{alert}
<form method="post"><input type="hidden" name="request" value="{html.escape(signed)}">
<label>{words["email"]} <input name="email" type="email" autocomplete="username" required></label>
<label>{words["password"]} <input name="password" type="password"
 autocomplete="current-password" required></label>
<button name="decision" value="allow">{words["allow"]}</button>
<button name="decision" value="deny" formnovalidate>{words["deny"]}</button></form>"""
    lang = "ur" if words["dir"] == "rtl" else "en"
    page = f"""<!doctype html><html lang="{lang}" dir="{words["dir"]}"><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>todo-agent: {words["title"]}</title>
<style>body{{font:16px system-ui;max-width:26rem;margin:3rem auto;padding:0 1rem}}
label{{display:block;margin:.8rem 0}}input{{width:100%;padding:.4rem}}
button{{margin:.4rem .4rem 0 0}}
[role=alert]{{color:#b00020}}</style><h1>todo-agent</h1>{body}</html>"""
    return HTMLResponse(
        page,
        status_code=status,
        headers={
            "Cache-Control": "no-store",
            # A sign-in page inside someone else's frame is how clickjacking starts.
            "X-Frame-Options": "DENY",
            "Content-Security-Policy": "frame-ancestors 'none'",
        },
    )
