"""What the API's routes need, built once in the lifespan and handed out by dependencies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import asyncpg
from faststream.kafka import KafkaBroker

from api.security import TokenIssuer
from core.settings import Settings
from domain.store import TaskStore, UserStore, create_pool, migrate


@dataclass
class Services:
    settings: Settings
    pool: asyncpg.Pool
    users: UserStore
    tasks: TaskStore
    tokens: TokenIssuer
    broker: KafkaBroker | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    @classmethod
    async def open(cls, settings: Settings) -> Services:
        if not settings.database_url:
            raise RuntimeError("DATABASE_URL is not set (todo-agent up sets it for you)")
        pool = await create_pool(
            settings.database_url,
            min_size=settings.db_pool_min,
            max_size=settings.db_pool_max,
            stateless=True,  # the API's queries keep no session state (migrate unlocks itself)
        )
        async with pool.acquire() as conn:
            await migrate(conn)
        tokens = TokenIssuer(
            secret=settings.jwt_secret.get_secret_value(),
            previous_secrets=tuple(
                s.get_secret_value() for s in (settings.jwt_secret_previous,) if s is not None
            ),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            ttl=timedelta(seconds=settings.jwt_ttl_seconds),
            jwks_url=settings.jwt_jwks_url,
        )
        broker = None
        if settings.kafka_bootstrap_servers:
            broker = KafkaBroker(
                settings.kafka_bootstrap_servers, client_id="todo-agent-api", logger=None
            )
        return cls(settings, pool, UserStore(pool), TaskStore(pool), tokens, broker)

    async def close(self) -> None:
        await self.pool.close()
