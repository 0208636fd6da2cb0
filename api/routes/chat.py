"""Chat: one turn (JSON or a server-sent event stream), and the caller's conversations."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from api.deps import CurrentUser, ServicesDep
from api.openapi import CHAT_STREAM_DOC, StrictQueryRoute, event_stream, problems
from core.logging import correlation_id
from domain.models import Text
from domain.store import ConversationStore
from graph.service import ChatService, result_json

router = APIRouter(prefix="/v1", tags=["chat"], route_class=StrictQueryRoute)


class ChatIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: Text = Field(min_length=1, max_length=2000, description="English or Urdu")
    conversation_id: uuid.UUID | None = Field(default=None, description="omit to start one")


class QuickReply(BaseModel):
    label: str = Field(description="what the button says, in the user's language")
    value: str = Field(description="the message to send when it is chosen")


class QuestionOut(BaseModel):
    kind: str = Field(description="confirm, which, title, target, when, changes, …")
    text: str
    language: str
    options: list[QuickReply] = Field(description="answers to offer as buttons (may be empty)")
    confirm: bool = Field(description="a yes/no confirmation of a change")
    bulk: bool = Field(description="the change touches many tasks")


class ChatOut(BaseModel):
    conversation_id: uuid.UUID
    reply: str
    language: str
    awaiting_reply: bool = Field(description="the assistant asked a question")
    actions: list[dict[str, Any]]
    tasks: list[dict[str, Any]]
    question: QuestionOut | None = Field(default=None, description="set with awaiting_reply")


class ConversationOut(BaseModel):
    id: uuid.UUID
    title: str
    awaiting_reply: bool
    created_at: datetime
    updated_at: datetime


class MessageOut(BaseModel):
    role: str
    content: str
    created_at: datetime
    data: dict[str, Any]


async def chat_service(request: Request) -> ChatService:
    return request.app.state.chat


ChatDep = Annotated[ChatService, Depends(chat_service)]


@router.post("/chat", response_model=ChatOut, responses=problems("not-found"))
async def chat(body: ChatIn, user: CurrentUser, service: ChatDep) -> ChatOut:
    """One turn: the assistant understands, acts (or asks), and replies in your language."""
    result = await service.turn(
        user, body.message, body.conversation_id, correlation_id=correlation_id.get()
    )
    return ChatOut.model_validate(result_json(result, user.timezone))


@router.post(
    "/chat/stream",
    response_class=StreamingResponse,
    responses={**event_stream(CHAT_STREAM_DOC), **problems("not-found")},
)
async def chat_stream(body: ChatIn, user: CurrentUser, service: ChatDep) -> StreamingResponse:
    """The same turn as server-sent events, shaped like the reply being made: `progress`
    (stage: understanding, planning, acting, replying), `action` per change, then `question`
    (text and quick-reply `options`) or `reply` (text), and last `result` (the body of
    `POST /v1/chat`); `error` (code and text in your language) if the turn fails."""
    cid = correlation_id.get()
    # Open the conversation before streaming starts so a wrong id is a 404, not a broken stream.
    conversation = await service.conversations.open(user.id, body.conversation_id)

    async def events() -> AsyncIterator[bytes]:
        async for name, data in service.stream(
            user, body.message, conversation.id, correlation_id=cid
        ):
            yield f"event: {name}\ndata: {json.dumps(data, default=str)}\n\n".encode()

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache"})  # fmt: skip


@router.get("/conversations", response_model=list[ConversationOut])
async def conversations(
    user: CurrentUser, services: ServicesDep, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[ConversationOut]:
    found = await ConversationStore(services.pool).list(user.id, limit=limit)
    return [ConversationOut(**c.model_dump()) for c in found]


@router.get("/conversations/{conversation_id}/messages", response_model=list[MessageOut])
async def messages(
    conversation_id: uuid.UUID, user: CurrentUser, services: ServicesDep
) -> list[MessageOut]:
    found = await ConversationStore(services.pool).messages(user.id, conversation_id)
    return [MessageOut(**m.model_dump()) for m in found]


@router.delete(
    "/conversations/{conversation_id}", status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
)  # fmt: skip
async def delete_conversation(
    conversation_id: uuid.UUID, user: CurrentUser, service: ChatDep
) -> Response:
    """Forget a conversation: its messages and the assistant's memory of it."""
    await service.forget(user, conversation_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
