"""FastAPI dependencies: services, the authenticated user, request metadata."""

from __future__ import annotations

import time
import uuid
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.problems import Problem
from api.security import InvalidToken
from api.services import Services
from core.logging import correlation_id
from domain.models import User
from domain.store import Meta, NotFound

_bearer = HTTPBearer(auto_error=False, description="JWT from POST /v1/auth/login")


async def get_services(request: Request) -> Services:
    # async on purpose: FastAPI runs plain `def` dependencies in a thread pool.
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


def _unauthorized(detail: str) -> Problem:
    return Problem(
        401, "unauthorized", "Unauthorized", detail, headers={"WWW-Authenticate": "Bearer"}
    )


async def current_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    # The services straight from the app, not as a sub-dependency: FastAPI solves every
    # sub-dependency on every request (cache or not), and this one runs on every request.
    services: Services = request.app.state.services
    if credentials is None:
        raise _unauthorized(
            "Send 'Authorization: Bearer <token>'; get a token from /v1/auth/login."
        )
    try:
        user_id = await services.tokens.verify(credentials.credentials)
        return await _cached_user(services, user_id)
    except InvalidToken as exc:
        raise _unauthorized(str(exc)) from exc
    except NotFound as exc:
        raise _unauthorized("the account of this token no longer exists") from exc


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


async def request_meta(request: Request) -> Meta:
    return Meta(
        correlation_id=correlation_id.get(),
        traceparent=request.headers.get("traceparent"),
        idempotency_key=request.headers.get("Idempotency-Key"),
    )


RequestMeta = Annotated[Meta, Depends(request_meta)]
