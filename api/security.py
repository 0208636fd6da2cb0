"""Password hashing (argon2) and JWT access tokens: HS256 with our secret, or an issuer's JWKS."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verifying against this when the email is unknown keeps login time the same either way.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


# What a bearer token may do. A login token may do everything; OAuth and personal access tokens
# carry the scopes they were granted.
READ_SCOPE = "tasks:read"
WRITE_SCOPE = "tasks:write"
ALL_SCOPES = frozenset({READ_SCOPE, WRITE_SCOPE})


@dataclass(frozen=True, slots=True)
class Grant:
    """Who a verified bearer token speaks for, what it may do, and how it was obtained."""

    user_id: uuid.UUID
    scopes: frozenset[str] = ALL_SCOPES
    via: Literal["login", "oauth", "pat"] = "login"
    client_id: str | None = None


class InvalidToken(Exception):
    """The bearer token is missing, expired, forged or for someone else."""


async def hash_password(password: str) -> str:
    # argon2 is deliberately slow (tens of ms): keep it off the event loop.
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    def check() -> bool:
        try:
            return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(check)


@dataclass(frozen=True, slots=True)
class TokenIssuer:
    """Issues and verifies our own HS256 tokens; verifies RS/ES tokens via JWKS when configured."""

    secret: str
    issuer: str
    audience: str
    ttl: timedelta
    jwks_url: str | None = None
    # Verify-only secrets of a rotation's overlap window; new tokens use `secret`.
    previous_secrets: tuple[str, ...] = ()

    def issue(
        self, user_id: uuid.UUID, *, scopes: list[str] | None = None, client_id: str | None = None
    ) -> str:
        """A login token (no scopes: it may do everything), or an OAuth client's access token."""
        now = datetime.now(UTC)
        claims: dict[str, Any] = {
            "sub": str(user_id),
            "iss": self.issuer,
            "aud": self.audience,
            "iat": now,
            "exp": now + self.ttl,
            "jti": uuid.uuid4().hex,
        }
        if client_id is not None:
            claims["client_id"] = client_id
            claims["scope"] = " ".join(scopes or [])
        return jwt.encode(claims, self.secret, algorithm="HS256")

    async def verify(self, token: str) -> uuid.UUID:
        return (await self.grant(token)).user_id

    async def grant(self, token: str) -> Grant:
        cached = _verified.get(token)
        if cached is not None and cached[1] > time.time():
            return cached[0]
        if self.jwks_url:
            # Fetching the issuer's key set is blocking HTTP (PyJWKClient): keep it off the loop.
            grant, expires = await asyncio.to_thread(self._verify, token)
        else:
            grant, expires = self._verify(token)
        if len(_verified) > 50_000:
            _verified.clear()
        _verified[token] = (grant, expires)
        return grant

    def _verify(self, token: str) -> tuple[Grant, float]:
        try:
            if self.jwks_url:
                key = _jwks_client(self.jwks_url).get_signing_key_from_jwt(token).key
                claims = self._decode(token, key, ["RS256", "ES256"])
            else:
                claims = self._decode_hs256(token)
            # An external issuer's scopes are not ours (RFC 9068 tokens carry client_id and
            # scope too): its tokens keep the full access they always had.
            return _grant(claims, ours=not self.jwks_url), float(claims["exp"])
        except jwt.ExpiredSignatureError as exc:
            raise InvalidToken("the access token has expired; log in again") from exc
        except (jwt.PyJWTError, ValueError, KeyError) as exc:
            raise InvalidToken("the access token is not valid") from exc

    def _decode_hs256(self, token: str) -> dict:
        *older, last = (self.secret, *self.previous_secrets)
        for secret in older:
            try:
                return self._decode(token, secret, ["HS256"])
            except jwt.InvalidSignatureError:
                continue  # perhaps signed before the rotation
        return self._decode(token, last, ["HS256"])

    def _decode(self, token: str, key: Any, algorithms: list[str]) -> dict[str, Any]:
        return jwt.decode(
            token,
            key,
            algorithms=algorithms,
            audience=self.audience,
            issuer=self.issuer,
            options={"require": ["exp", "sub", "iss", "aud"]},
        )


_jwks_clients: dict[str, jwt.PyJWKClient] = {}
# A token verified once stays valid until it expires; checking the signature again on every
# request of a session is the API's largest fixed cost after the database.
_verified: dict[str, tuple[Grant, float]] = {}


def _grant(claims: dict[str, Any], *, ours: bool) -> Grant:
    user_id = uuid.UUID(claims["sub"])
    if not ours or "client_id" not in claims:
        return Grant(user_id)
    scopes = frozenset(str(claims.get("scope", "")).split()) & ALL_SCOPES
    return Grant(user_id, scopes, "oauth", str(claims["client_id"]))


def _jwks_client(url: str) -> jwt.PyJWKClient:
    # PyJWKClient caches the key set; one client per URL keeps that cache warm.
    if url not in _jwks_clients:
        _jwks_clients[url] = jwt.PyJWKClient(url, cache_keys=True, lifespan=300)
    return _jwks_clients[url]
