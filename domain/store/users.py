"""Users: registration and lookup. Password hashing happens in the API; the store keeps hashes."""

from __future__ import annotations

import uuid

import asyncpg

from domain.models import User, UserPatch
from domain.store.db import Db, transaction
from domain.store.errors import AlreadyExists, InvalidChange, NotFound

_COLUMNS = "id, email, timezone, locale, created_at, reminder_channels, webhook_url"


class UserStore:
    def __init__(self, db: Db) -> None:
        self.db = db

    async def create(
        self, email: str, password_hash: str, *, timezone: str = "UTC", locale: str = "en"
    ) -> User:
        try:
            row = await self.db.fetchrow(
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
        row = await self.db.fetchrow(f"SELECT {_COLUMNS} FROM app.users WHERE id = $1", user_id)
        if row is None:
            raise NotFound("this account does not exist")
        return User.model_validate(dict(row))

    async def credentials(self, email: str) -> tuple[User, str] | None:
        """The user and their password hash, for logging in."""
        row = await self.db.fetchrow(
            f"SELECT {_COLUMNS}, password_hash FROM app.users WHERE lower(email) = lower($1)", email
        )
        if row is None:
            return None
        data = dict(row)
        return User.model_validate(data), data.pop("password_hash")

    async def set_password_hash(self, user_id: uuid.UUID, password_hash: str) -> None:
        await self.db.execute(
            "UPDATE app.users SET password_hash = $2 WHERE id = $1", user_id, password_hash
        )

    async def update(self, user_id: uuid.UUID, patch: UserPatch) -> User:
        """Change the settings present in `patch`; the webhook channel needs a webhook URL."""
        changes = patch.model_dump(include=patch.model_fields_set)
        async with transaction(self.db) as conn:
            row = await conn.fetchrow(
                f"SELECT {_COLUMNS} FROM app.users WHERE id = $1 FOR UPDATE", user_id
            )
            if row is None:
                raise NotFound("this account does not exist")
            merged = {**dict(row), **changes}
            if "webhook" in merged["reminder_channels"] and not merged["webhook_url"]:
                raise InvalidChange("the webhook channel needs a webhook_url to post to")
            if not changes:
                return User.model_validate(merged)
            sets = ", ".join(f"{name} = ${i}" for i, name in enumerate(changes, start=2))
            row = await conn.fetchrow(
                f"UPDATE app.users SET {sets} WHERE id = $1 RETURNING {_COLUMNS}",
                user_id,
                *changes.values(),
            )
        return User.model_validate(dict(row))
