"""Personal access tokens: make one for a client that takes a header, list them, revoke one.

Only a password login may manage them (a leaked token cannot mint more). The secret is in the
creation response only; the store keeps its digest.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, ConfigDict, Field

from api.deps import LoginUser, ServicesDep
from api.openapi import StrictQueryRoute, problems
from domain.models import Text
from domain.store import PersonalToken, PersonalTokenStore

router = APIRouter(prefix="/v1/auth/tokens", tags=["auth"], route_class=StrictQueryRoute)

Scope = Literal["tasks:read", "tasks:write"]


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[Text, Field(min_length=1, max_length=100, description="what it is for")]
    scopes: list[Scope] = Field(
        default=["tasks:read", "tasks:write"], min_length=1, description="what it may do"
    )
    expires_in_days: int | None = Field(
        default=None, ge=1, le=3650, description="omit for a token that lives until revoked"
    )


class PersonalTokenOut(BaseModel):
    id: uuid.UUID
    name: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None

    @classmethod
    def of(cls, token: PersonalToken) -> PersonalTokenOut:
        return cls(**token.model_dump(exclude={"revoked_at"}))


class PersonalTokenCreatedOut(PersonalTokenOut):
    token: str = Field(description="the secret: shown this once, send as 'Bearer <token>'")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=PersonalTokenCreatedOut,
    responses=problems("login-required", "already-exists"),
)
async def create_token(
    body: TokenIn, user: LoginUser, services: ServicesDep
) -> PersonalTokenCreatedOut:
    """A new personal access token, named and scoped."""
    expires = (
        None
        if body.expires_in_days is None
        else datetime.now(UTC) + timedelta(days=body.expires_in_days)
    )
    scopes = sorted(set(body.scopes))
    made, secret = await PersonalTokenStore(services.pool).create(
        user.id, body.name, scopes, expires
    )
    return PersonalTokenCreatedOut(**PersonalTokenOut.of(made).model_dump(), token=secret)


@router.get("", response_model=list[PersonalTokenOut], responses=problems("login-required"))
async def list_tokens(user: LoginUser, services: ServicesDep) -> list[PersonalTokenOut]:
    """Your live tokens (never their secrets), newest first."""
    return [PersonalTokenOut.of(t) for t in await PersonalTokenStore(services.pool).list(user.id)]


@router.delete(
    "/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problems("login-required"),
)
async def revoke_token(token_id: uuid.UUID, user: LoginUser, services: ServicesDep) -> Response:
    """Revoke a token: it stops working at once."""
    await PersonalTokenStore(services.pool).revoke(user.id, token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
