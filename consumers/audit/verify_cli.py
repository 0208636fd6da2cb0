"""Verifying the chain of a database by URL (for `todo-agent audit verify`)."""

from __future__ import annotations

import asyncpg

from consumers.audit.chain import Verification, verify


async def verify_database(url: str) -> Verification:
    conn = await asyncpg.connect(url)
    try:
        return await verify(conn)
    finally:
        await conn.close()
