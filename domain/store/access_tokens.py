"""Personal access tokens: named, scoped, revocable bearer secrets a user makes for a client
that takes a header (a script, an MCP client configured by hand).

The secret is shown once, at creation; the store keeps its SHA-256 digest. The prefix lets the
API tell one from a JWT without trying to decode it, and lets secret scanners find a leaked one.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime

import asyncpg
from pydantic import BaseModel

from domain.store.db import Db, atomic
from domain.store.errors import AlreadyExists, NotFound

PAT_PREFIX = "tdo_pat_"


def digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


class PersonalToken(BaseModel):
    id: uuid.UUID
    name: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenHolder(BaseModel):
    """Who a valid personal access token speaks for, and what it may do."""

    user_id: uuid.UUID
    token_id: uuid.UUID
    scopes: list[str]


_COLUMNS = "id, name, scopes, created_at, expires_at, last_used_at, revoked_at"


class PersonalTokenStore:
    def __init__(self, db: Db) -> None:
        self.db = db

    async def create(
        self, user_id: uuid.UUID, name: str, scopes: Sequence[str], expires_at: datetime | None
    ) -> tuple[PersonalToken, str]:
        """The new token and its secret (which is never readable again)."""
        secret = PAT_PREFIX + secrets.token_urlsafe(32)
        try:
            async with atomic(self.db) as db:
                row = await db.fetchrow(
                    "INSERT INTO app.personal_access_tokens"
                    " (id, user_id, name, token_hash, scopes, expires_at)"
                    f" VALUES ($1, $2, $3, $4, $5, $6) RETURNING {_COLUMNS}",
                    uuid.uuid4(),
                    user_id,
                    name,
                    digest(secret),
                    scopes,
                    expires_at,
                )
        except asyncpg.UniqueViolationError as exc:
            raise AlreadyExists(f"you already have a token named '{name}'") from exc
        return PersonalToken.model_validate(dict(row)), secret

    async def list(self, user_id: uuid.UUID) -> list[PersonalToken]:
        """The user's live tokens, newest first."""
        rows = await self.db.fetch(
            f"SELECT {_COLUMNS} FROM app.personal_access_tokens"
            " WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id",
            user_id,
        )
        return [PersonalToken.model_validate(dict(r)) for r in rows]

    async def revoke(self, user_id: uuid.UUID, token_id: uuid.UUID) -> None:
        done = await self.db.fetchval(
            "UPDATE app.personal_access_tokens SET revoked_at = now()"
            " WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id",
            token_id,
            user_id,
        )
        if done is None:
            raise NotFound("you have no live token with this id")

    async def holder(self, secret: str) -> TokenHolder | None:
        """Who a live token speaks for; None for an unknown, revoked or expired one.

        Marks it used at most once a minute, so a busy token costs no write per request."""
        row = await self.db.fetchrow(
            "WITH hit AS ("
            "  SELECT id, user_id, scopes, last_used_at FROM app.personal_access_tokens"
            "  WHERE token_hash = $1 AND revoked_at IS NULL"
            "    AND (expires_at IS NULL OR expires_at > now())"
            "), touched AS ("
            "  UPDATE app.personal_access_tokens t SET last_used_at = now() FROM hit"
            "  WHERE t.id = hit.id"
            "    AND (hit.last_used_at IS NULL OR hit.last_used_at < now() - interval '1 minute')"
            ") SELECT id AS token_id, user_id, scopes FROM hit",
            digest(secret),
        )
        return None if row is None else TokenHolder.model_validate(dict(row))
