"""FastAPI dependencies: services, the authenticated user, request metadata."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param

from api.credentials import authenticate
from api.problems import Problem
from api.security import READ_SCOPE, WRITE_SCOPE, Grant, InvalidToken
from api.services import Services
from core.logging import correlation_id
from domain.models import User
from domain.store import Meta, NotFound

_bearer = HTTPBearer(
    auto_error=False,
    description="A JWT from POST /v1/auth/login or the OAuth token endpoint, or a personal"
    " access token (tdo_pat_…) from POST /v1/auth/tokens",
)
# Reading needs tasks:read, anything else tasks:write: one rule for every route, so a read-only
# token cannot change anything, whichever route it tries.
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_services(request: Request) -> Services:
    # async on purpose: FastAPI runs plain `def` dependencies in a thread pool.
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


def _unauthorized(detail: str) -> Problem:
    return Problem(
        401, "unauthorized", "Unauthorized", detail, headers={"WWW-Authenticate": "Bearer"}
    )


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


async def current_user(request: Request, credentials: Credentials) -> User:
    return await _authorize(request, None if credentials is None else credentials.credentials)


def _bearer_token(request: Request) -> str | None:
    """The token of `Authorization: Bearer <token>`, read as `_bearer` reads it (None where it
    answers None), for the one dependency that reads the header itself (see `writer`)."""
    scheme, token = get_authorization_scheme_param(request.headers.get("Authorization"))
    if not (scheme and token) or scheme.lower() != "bearer":
        return None
    return token


async def _authorize(request: Request, token: str | None) -> User:
    # The services straight from the app, not as a sub-dependency: FastAPI solves every
    # sub-dependency on every request (cache or not), and this one runs on every request.
    services: Services = request.app.state.services
    if token is None:
        raise _unauthorized(
            "Send 'Authorization: Bearer <token>'; get a token from /v1/auth/login."
        )
    try:
        grant = await authenticate(services, token)
        user = await _cached_user(services, grant.user_id)
    except InvalidToken as exc:
        raise _unauthorized(str(exc)) from exc
    except NotFound as exc:
        raise _unauthorized("the account of this token no longer exists") from exc
    needed = READ_SCOPE if request.method in _SAFE_METHODS else WRITE_SCOPE
    if needed not in grant.scopes:
        raise Problem(
            403,
            "insufficient-scope",
            "Insufficient scope",
            f"This token lacks the '{needed}' scope this request needs.",
            headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{needed}"'},
        )
    request.state.grant = grant  # for the few routes that ask how the caller signed in
    return user


# Users change rarely and every request needs one: a short-lived cache saves a round trip. Short,
# because a change made through another worker or replica only reaches this one when it expires.
USER_CACHE_TTL_S = 5.0


async def _cached_user(services: Services, user_id: uuid.UUID) -> User:
    cache: dict[uuid.UUID, tuple[float, User]] = services.extras.setdefault("user_cache", {})
    now = time.monotonic()
    hit = cache.get(user_id)
    if hit is not None and hit[0] > now:
        return hit[1]
    user = await services.users.get(user_id)
    if len(cache) > 10_000:
        cache.clear()
    cache[user_id] = (now + USER_CACHE_TTL_S, user)
    return user


def forget_user(services: Services, user_id: uuid.UUID) -> None:
    """After a change through this process, its next request sees it at once."""
    services.extras.get("user_cache", {}).pop(user_id, None)


CurrentUser = Annotated[User, Depends(current_user)]


async def login_user(request: Request, user: CurrentUser) -> User:
    """The user, signed in with their password: a token cannot mint or list other tokens."""
    grant: Grant = request.state.grant
    if grant.via != "login":
        raise Problem(
            403,
            "login-required",
            "Login required",
            "Manage access tokens with the token from /v1/auth/login, not with another token.",
        )
    return user


LoginUser = Annotated[User, Depends(login_user)]


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="same key, same effect: a retried request acts once",
    ),
]
TraceParent = Annotated[
    str | None, Header(max_length=200, description="W3C trace context, carried on events")
]


async def request_meta(
    idempotency_key: IdempotencyKey = None, traceparent: TraceParent = None
) -> Meta:
    return Meta(
        correlation_id=correlation_id.get(),
        traceparent=traceparent,
        idempotency_key=idempotency_key,
    )


RequestMeta = Annotated[Meta, Depends(request_meta)]


@dataclass(frozen=True, slots=True)
class Writer:
    """Who changes tasks, with what, and how the request is traced: what every route that
    changes a task needs, solved as one dependency.

    FastAPI solves each dependency of a route on every request, and each costs about as much as
    the work it does (its parameters, its cache key, the call). `CurrentUser`, `ServicesDep` and
    `RequestMeta` side by side were three of them on the hottest route; the same checks are one.
    Its two optional headers are read here rather than declared as parameters: FastAPI's
    per-request handling of a declared header (its model, aliases, sequence check, validation)
    cost more than the rest of this dependency. They stay in the OpenAPI document, as they were,
    through `WRITER_HEADERS`. The bearer token likewise: `_bearer` as a sub-dependency was one
    more solve per request, so the header is read here and its security requirement is stated
    in `WRITER_HEADERS`, as FastAPI generated it from `_bearer`.
    """

    user: User
    services: Services
    meta: Meta


_MAX_HEADER = 200
_WRITE_HEADERS = {
    "Idempotency-Key": "same key, same effect: a retried request acts once",
    "traceparent": "W3C trace context, carried on events",
}


def _header(request: Request, name: str) -> str | None:
    value = request.headers.get(name)
    if value is not None and len(value) > _MAX_HEADER:
        raise RequestValidationError(
            [
                {
                    "type": "string_too_long",
                    "loc": ("header", name),
                    "msg": f"String should have at most {_MAX_HEADER} characters",
                    "input": value,
                    "ctx": {"max_length": _MAX_HEADER},
                }
            ]
        )
    return value


async def writer(request: Request) -> Writer:
    user = await _authorize(request, _bearer_token(request))
    meta = Meta(
        correlation_id=correlation_id.get(),
        traceparent=_header(request, "traceparent"),
        idempotency_key=_header(request, "Idempotency-Key"),
    )
    return Writer(user, request.app.state.services, meta)


# `openapi_extra=WRITER_HEADERS` on a route using `WriterDep`: the two headers and the bearer
# requirement in its OpenAPI document, as FastAPI generated them when they were declared
# parameters and `_bearer` a sub-dependency (its scheme stays in the components through the
# routes that still use `CurrentUser`).
WRITER_HEADERS: dict[str, Any] = {
    "security": [{_bearer.scheme_name: []}],
    "parameters": [
        {
            "name": name,
            "in": "header",
            "required": False,
            "schema": {
                "anyOf": [{"type": "string", "maxLength": _MAX_HEADER}, {"type": "null"}],
                "description": description,
                "title": name.title() if name.islower() else name,
            },
            "description": description,
        }
        for name, description in _WRITE_HEADERS.items()
    ],
}
WriterDep = Annotated[Writer, Depends(writer)]
