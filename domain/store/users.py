"""Users: registration and lookup. Password hashing happens in the API; the store keeps hashes."""

from __future__ import annotations

import uuid

import asyncpg

from domain.models import User
from domain.store.errors import AlreadyExists, NotFound

_COLUMNS = "id, email, timezone, locale, created_at"


class UserStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def create(
        self, email: str, password_hash: str, *, timezone: str = "UTC", locale: str = "en"
    ) -> User:
        try:
            row = await self.pool.fetchrow(
                f"INSERT INTO app.users (id, email, password_hash, timezone, locale)"
                f" VALUES ($1, $2, $3, $4, $5) RETURNING {_COLUMNS}",
                uuid.uuid4(),
                email,
                password_hash,
                timezone,
                locale,
            )
        except asyncpg.UniqueViolationError as exc:
            raise AlreadyExists(f"an account for {email} exists already") from exc
        return User.model_validate(dict(row))

    async def get(self, user_id: uuid.UUID) -> User:
        row = await self.pool.fetchrow(f"SELECT {_COLUMNS} FROM app.users WHERE id = $1", user_id)
        if row is None:
            raise NotFound("this account does not exist")
        return User.model_validate(dict(row))

    async def credentials(self, email: str) -> tuple[User, str] | None:
        """The user and their password hash, for logging in."""
        row = await self.pool.fetchrow(
            f"SELECT {_COLUMNS}, password_hash FROM app.users WHERE lower(email) = lower($1)", email
        )
        if row is None:
            return None
        data = dict(row)
        return User.model_validate(data), data.pop("password_hash")

    async def set_password_hash(self, user_id: uuid.UUID, password_hash: str) -> None:
        await self.pool.execute(
            "UPDATE app.users SET password_hash = $2 WHERE id = $1", user_id, password_hash
        )
