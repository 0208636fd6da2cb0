"""The bare peer of `POST /v1/tasks`: FastAPI + pydantic + PyJWT + asyncpg, nothing else.

It does the same job on the same stack with none of the product's layers: verify the bearer token
(HS256, same secret, issuer and audience), validate the body, write the task row and one outbox
row in one transaction, answer 201 with the task. Its rows go to tables of its own (`bench_bare`),
so the relay never sees them. `bench/bench_api.py` runs it beside the product, in the same run.

    uvicorn bench.bare_api:app --workers 2
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated

import asyncpg
import jwt
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

SCHEMA = """
CREATE SCHEMA IF NOT EXISTS bench_bare;
CREATE TABLE IF NOT EXISTS bench_bare.tasks (
    id uuid PRIMARY KEY, owner_id uuid NOT NULL, title text NOT NULL, priority int,
    tags text[] NOT NULL, due timestamptz, created_at timestamptz NOT NULL);
CREATE TABLE IF NOT EXISTS bench_bare.outbox (
    id bigserial PRIMARY KEY, topic text NOT NULL, key text NOT NULL, event jsonb NOT NULL);
"""
# One statement is one transaction: the task row and its outbox row land together.
_INSERT = """
WITH t AS (
    INSERT INTO bench_bare.tasks (id, owner_id, title, priority, tags, due, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
)
INSERT INTO bench_bare.outbox (topic, key, event) SELECT 'task-events', $8, $9::jsonb FROM t
"""


class TaskIn(BaseModel):
    title: str = Field(min_length=1, max_length=500)
    priority: int | None = Field(default=None, ge=1, le=4)
    tags: list[str] = Field(default_factory=list, max_length=20)
    due: datetime | None = None


class TaskOut(TaskIn):
    id: uuid.UUID
    created_at: datetime


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    pool = await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=2, max_size=20)
    async with pool.acquire() as conn:
        await conn.execute("SELECT pg_advisory_lock(7242099)")
        await conn.execute(SCHEMA)
        await conn.execute("SELECT pg_advisory_unlock(7242099)")
    app.state.pool = pool
    yield
    await pool.close()


app = FastAPI(lifespan=lifespan)
_bearer = HTTPBearer()
_SECRET = os.environ.get("JWT_SECRET", "dev-only-change-me-0123456789abcdef")


async def owner(
    credentials: Annotated[HTTPAuthorizationCredentials, Depends(_bearer)],
) -> uuid.UUID:
    try:
        claims = jwt.decode(credentials.credentials, _SECRET, algorithms=["HS256"],
                            audience="todo-agent", issuer="todo-agent")  # fmt: skip
    except jwt.InvalidTokenError as exc:
        raise HTTPException(401, "invalid token") from exc
    return uuid.UUID(claims["sub"])


@app.post("/v1/tasks", status_code=201)
async def create(
    body: TaskIn, request: Request, owner_id: Annotated[uuid.UUID, Depends(owner)]
) -> TaskOut:
    task = TaskOut(id=uuid.uuid4(), created_at=datetime.now(UTC), **body.model_dump())
    event = {"type": "task.created", "id": str(uuid.uuid4()), "data": task.model_dump(mode="json")}
    await request.app.state.pool.execute(
        _INSERT, task.id, owner_id, task.title, task.priority, task.tags, task.due,
        task.created_at, str(owner_id), json.dumps(event),
    )  # fmt: skip
    return task


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
