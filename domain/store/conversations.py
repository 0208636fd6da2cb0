"""Conversations and their messages, owned by one user each."""

from __future__ import annotations

import builtins
import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from domain.store.db import Db, transaction
from domain.store.errors import NotFound


class Conversation(BaseModel):
    id: uuid.UUID
    title: str
    awaiting_reply: bool
    created_at: datetime
    updated_at: datetime


class Message(BaseModel):
    id: int
    role: str
    content: str
    data: dict[str, Any]
    created_at: datetime


class ConversationStore:
    def __init__(self, db: Db) -> None:
        self.db = db

    async def open(self, owner_id: uuid.UUID, conversation_id: uuid.UUID | None) -> Conversation:
        """The caller's conversation, or a new one. Another user's id is simply not found."""
        if conversation_id is None:
            row = await self.db.fetchrow(
                "INSERT INTO app.conversations (id, owner_id) VALUES ($1, $2)"
                " RETURNING id, title, awaiting_reply, created_at, updated_at",
                uuid.uuid4(),
                owner_id,
            )
        else:
            row = await self.db.fetchrow(
                "SELECT id, title, awaiting_reply, created_at, updated_at FROM app.conversations"
                " WHERE id = $1 AND owner_id = $2",
                conversation_id,
                owner_id,
            )
        if row is None:
            raise NotFound(f"there is no conversation {conversation_id}")
        return Conversation.model_validate(dict(row))

    async def record_turn(
        self,
        conversation_id: uuid.UUID,
        user_text: str,
        reply: str,
        data: dict[str, Any],
        *,
        awaiting_reply: bool,
    ) -> None:
        async with transaction(self.db) as conn:
            await conn.execute(
                "INSERT INTO app.messages (conversation_id, role, content, data)"
                " VALUES ($1, 'user', $2, '{}'), ($1, 'assistant', $3, $4)",
                conversation_id,
                user_text,
                reply,
                data,
            )
            await conn.execute(
                "UPDATE app.conversations SET awaiting_reply = $2, updated_at = now(),"
                " title = CASE WHEN title = '' THEN left($3, 80) ELSE title END WHERE id = $1",
                conversation_id,
                awaiting_reply,
                user_text,
            )

    async def list(self, owner_id: uuid.UUID, *, limit: int = 50) -> list[Conversation]:
        rows = await self.db.fetch(
            "SELECT id, title, awaiting_reply, created_at, updated_at FROM app.conversations"
            " WHERE owner_id = $1 ORDER BY updated_at DESC LIMIT $2",
            owner_id,
            limit,
        )
        return [Conversation.model_validate(dict(r)) for r in rows]

    async def messages(
        self, owner_id: uuid.UUID, conversation_id: uuid.UUID, *, limit: int = 200
    ) -> builtins.list[Message]:
        await self.open(owner_id, conversation_id)  # ownership check
        rows = await self.db.fetch(
            "SELECT id, role, content, data, created_at FROM app.messages"
            " WHERE conversation_id = $1 ORDER BY id LIMIT $2",
            conversation_id,
            limit,
        )
        return [Message.model_validate(dict(r)) for r in rows]

    async def delete(self, owner_id: uuid.UUID, conversation_id: uuid.UUID) -> None:
        """Forget the conversation and its messages (the caller forgets its graph thread)."""
        status = await self.db.execute(
            "DELETE FROM app.conversations WHERE id = $1 AND owner_id = $2",
            conversation_id,
            owner_id,
        )
        if status.endswith(" 0"):
            raise NotFound(f"there is no conversation {conversation_id}")
