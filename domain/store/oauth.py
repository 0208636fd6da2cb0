"""What the OAuth 2.1 authorization server keeps: registered clients, one-time authorization
codes and rotating refresh tokens. The protocol itself (PKCE, redirects, token endpoint) is the
`mcp` library's; see api/oauth.py. Codes and refresh tokens are stored as SHA-256 digests.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel

from domain.store.access_tokens import digest
from domain.store.db import Db, transaction


class CodeGrant(BaseModel):
    """What the user approved at the login page, redeemable once for tokens."""

    client_id: str
    user_id: uuid.UUID
    scopes: list[str]
    code_challenge: str
    redirect_uri: str
    redirect_uri_explicit: bool
    resource: str | None
    expires_at: datetime


class RefreshGrant(BaseModel):
    client_id: str
    user_id: uuid.UUID
    scopes: list[str]
    resource: str | None
    expires_at: datetime


class OAuthStore:
    def __init__(self, db: Db) -> None:
        self.db = db

    async def client(self, client_id: str) -> dict[str, Any] | None:
        raw = await self.db.fetchval(
            "SELECT metadata FROM app.oauth_clients WHERE client_id = $1", client_id
        )
        return None if raw is None else json.loads(raw)

    async def add_client(self, client_id: str, metadata: dict[str, Any]) -> None:
        await self.db.execute(
            "INSERT INTO app.oauth_clients (client_id, metadata) VALUES ($1, $2::jsonb)",
            client_id,
            json.dumps(metadata),
        )

    async def add_code(self, code: str, grant: CodeGrant) -> None:
        # Codes nobody redeemed would stay forever: each new one sweeps the stale ones.
        await self.db.execute("DELETE FROM app.oauth_codes WHERE expires_at < now()")
        await self.db.execute(
            "INSERT INTO app.oauth_codes (code_hash, client_id, user_id, scopes, code_challenge,"
            " redirect_uri, redirect_uri_explicit, resource, expires_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            digest(code),
            grant.client_id,
            grant.user_id,
            grant.scopes,
            grant.code_challenge,
            grant.redirect_uri,
            grant.redirect_uri_explicit,
            grant.resource,
            grant.expires_at,
        )

    async def code(self, client_id: str, code: str) -> CodeGrant | None:
        row = await self.db.fetchrow(
            "SELECT client_id, user_id, scopes, code_challenge, redirect_uri,"
            " redirect_uri_explicit, resource, expires_at FROM app.oauth_codes"
            " WHERE code_hash = $1 AND client_id = $2",
            digest(code),
            client_id,
        )
        return None if row is None else CodeGrant.model_validate(dict(row))

    async def redeem_code(self, code: str) -> bool:
        """Use a code up; False when it was used (or expired) already, so two racing
        exchanges of one code get one token pair between them."""
        used = await self.db.fetchval(
            "DELETE FROM app.oauth_codes WHERE code_hash = $1 AND expires_at > now()"
            " RETURNING true",
            digest(code),
        )
        return bool(used)

    async def add_refresh(self, token: str, grant: RefreshGrant) -> None:
        await self.db.execute(
            "DELETE FROM app.oauth_refresh_tokens"
            " WHERE user_id = $1 AND client_id = $2 AND expires_at < now()",
            grant.user_id,
            grant.client_id,
        )
        await self.db.execute(
            "INSERT INTO app.oauth_refresh_tokens"
            " (token_hash, client_id, user_id, scopes, resource, expires_at)"
            " VALUES ($1, $2, $3, $4, $5, $6)",
            digest(token),
            grant.client_id,
            grant.user_id,
            grant.scopes,
            grant.resource,
            grant.expires_at,
        )

    async def refresh(self, client_id: str, token: str) -> RefreshGrant | None:
        """The grant of a live refresh token. A used one presented again was stolen or replayed:
        the client's whole grant ends (every refresh token of it), and None is the answer."""
        row = await self.db.fetchrow(
            "SELECT client_id, user_id, scopes, resource, expires_at, used_at"
            " FROM app.oauth_refresh_tokens"
            " WHERE token_hash = $1 AND client_id = $2 AND expires_at > now()",
            digest(token),
            client_id,
        )
        if row is None:
            return None
        data = dict(row)
        if data.pop("used_at") is not None:
            await self.revoke_grant(data["user_id"], client_id)
            return None
        return RefreshGrant.model_validate(data)

    async def rotate_refresh(self, old: str, new: str, grant: RefreshGrant) -> bool:
        """Replace a refresh token by a new one in one step; False if the old one was used."""
        async with transaction(self.db) as conn:
            used = await conn.fetchval(
                "UPDATE app.oauth_refresh_tokens SET used_at = now()"
                " WHERE token_hash = $1 AND used_at IS NULL RETURNING true",
                digest(old),
            )
            if not used:
                return False
            await conn.execute(
                "INSERT INTO app.oauth_refresh_tokens"
                " (token_hash, client_id, user_id, scopes, resource, expires_at)"
                " VALUES ($1, $2, $3, $4, $5, $6)",
                digest(new),
                grant.client_id,
                grant.user_id,
                grant.scopes,
                grant.resource,
                grant.expires_at,
            )
        return True

    async def revoke_grant(self, user_id: uuid.UUID, client_id: str) -> None:
        """End a client's access for a user: its refresh tokens stop working at once."""
        await self.db.execute(
            "DELETE FROM app.oauth_refresh_tokens WHERE user_id = $1 AND client_id = $2",
            user_id,
            client_id,
        )


def expiry(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)
