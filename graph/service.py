"""One chat turn: find (or open) the caller's conversation, run or resume its graph thread,
remember the exchange. The thread id is the conversation id.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypedDict, cast

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command, Durability

from core.settings import Settings
from domain.models import User
from domain.store import Conversation, ConversationStore
from graph.context import Context
from graph.locks import ConversationLocks
from graph.stream_events import action_event, error_event, question_event, stage_of

log = logging.getLogger(__name__)

# "exit" writes one checkpoint a turn (and on interrupt) instead of one per step: measured in
# bench/bench_chat.py, it is the difference between the checkpointer dominating a turn or not.
DURABILITY: Durability = "exit"


class RunOptions(TypedDict):
    """What every run of the graph is given besides its input and config."""

    context: Context
    durability: Durability


@dataclass
class ChatResult:
    conversation_id: uuid.UUID
    reply: str
    language: str
    actions: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    question: dict[str, Any] | None = None


class ChatService:
    def __init__(
        self, graph: CompiledStateGraph[Any, Any, Any, Any],
        conversations: ConversationStore, settings: Settings,
        locks: ConversationLocks | None = None,
    ) -> None:  # fmt: skip
        self.graph = graph
        self.conversations = conversations
        self.settings = settings
        # Two turns of one conversation must not interleave, in this process or another one.
        self.locks = locks or ConversationLocks()
        self._running: set[asyncio.Task[None]] = set()  # streamed turns, referenced till done

    def _context(
        self, user: User, conversation_id: uuid.UUID, correlation_id: str | None,
        now: datetime | None,
    ) -> Context:  # fmt: skip
        s = self.settings
        return Context(
            user_id=str(user.id),
            timezone=user.timezone,
            locale=user.locale,
            now=now,
            conversation_id=str(conversation_id),
            correlation_id=correlation_id,
            nlu_backend=s.nlu_backend,
            ollama_model=s.ollama_model,
            ollama_base_url=s.ollama_base_url,
            ollama_budget_seconds=s.ollama_budget_seconds,
            clarify_threshold=s.clarify_threshold,
        )

    async def _awaiting(self, conversation: Conversation) -> bool:
        """Whether the thread is paused at a question: the checkpointer's pending interrupt is
        the truth (the conversation row's flag is a copy for listings)."""
        if self.graph.checkpointer is None:
            return conversation.awaiting_reply
        config: RunnableConfig = {"configurable": {"thread_id": str(conversation.id)}}
        return bool((await self.graph.aget_state(config)).interrupts)

    async def _run(
        self, conversation: Conversation, user: User, message: str,
        correlation_id: str | None, now: datetime | None,
    ) -> tuple[Any, RunnableConfig, RunOptions]:  # fmt: skip
        """Input, config and options of one run: a waiting conversation resumes its question."""
        awaiting = await self._awaiting(conversation)
        payload: Any = Command(resume=message) if awaiting else {"message": message}
        # Run name, tags and metadata are what a LangSmith trace (LANGSMITH_TRACING=true) is
        # found by: one conversation's turns, one request's correlation id.
        config: RunnableConfig = {
            "configurable": {"thread_id": str(conversation.id)},
            "run_name": "chat_turn",
            "tags": [f"nlu:{self.settings.nlu_backend}", f"locale:{user.locale}"],
            "metadata": {
                "conversation_id": str(conversation.id),
                "user_id": str(user.id),
                "correlation_id": correlation_id,
                "resumed": awaiting,
            },
        }
        options = RunOptions(
            context=self._context(user, conversation.id, correlation_id, now),
            durability=DURABILITY,
        )
        return payload, config, options

    @contextlib.asynccontextmanager
    async def _locked(
        self, user: User, conversation_id: uuid.UUID | None
    ) -> AsyncIterator[Conversation]:
        """The caller's conversation (a new one for None), held for one turn at a time."""
        if conversation_id is None:  # nobody else knows a new conversation's id yet
            yield await self.conversations.open(user.id, None)
            return
        async with self.locks.hold(conversation_id):
            # Read under the lock: a turn queued behind another sees the question it left, and
            # one queued behind a delete finds nothing (404) instead of acting on a lost thread.
            yield await self.conversations.open(user.id, conversation_id)

    async def turn(
        self,
        user: User,
        message: str,
        conversation_id: uuid.UUID | None = None,
        *,
        correlation_id: str | None = None,
        now: datetime | None = None,
    ) -> ChatResult:
        async with self._locked(user, conversation_id) as conversation:
            payload, config, options = await self._run(
                conversation, user, message, correlation_id, now
            )
            out = await self.graph.ainvoke(payload, config, **options)
            return await self._finish(conversation.id, message, out)

    async def stream(
        self,
        user: User,
        message: str,
        conversation_id: uuid.UUID | None = None,
        *,
        correlation_id: str | None = None,
        now: datetime | None = None,
    ) -> AsyncIterator[tuple[str, dict[str, Any]]]:
        """(event name, data) pairs shaped like a reply (see graph/stream_events.py).

        The turn runs in a task of its own: a client that goes away mid-stream does not cancel
        a turn half done; it finishes and is remembered, and the list shows its effect.
        """
        events: asyncio.Queue[tuple[str, dict[str, Any]] | None] = asyncio.Queue()
        run = asyncio.create_task(
            self._stream_turn(events.put_nowait, user, message, conversation_id,
                              correlation_id=correlation_id, now=now)
        )  # fmt: skip
        self._running.add(run)
        run.add_done_callback(self._running.discard)
        while (event := await events.get()) is not None:
            yield event

    async def _stream_turn(
        self,
        emit: Callable[[tuple[str, dict[str, Any]] | None], None],
        user: User,
        message: str,
        conversation_id: uuid.UUID | None,
        *,
        correlation_id: str | None,
        now: datetime | None,
    ) -> None:
        language = user.locale
        try:
            async with self._locked(user, conversation_id) as conversation:
                payload, config, options = await self._run(
                    conversation, user, message, correlation_id, now
                )
                final: dict[str, Any] = {}
                stage: str | None = "understanding"
                emit(("progress", {"stage": stage}))
                replied = False
                # With a list of modes each item is (mode, chunk); the stubs type one chunk.
                chunks = cast(AsyncIterator[tuple[str, Any]], self.graph.astream(
                    payload, config, stream_mode=["tasks", "updates", "values"], **options
                ))  # fmt: skip
                async for mode, chunk in chunks:
                    if mode == "values":
                        final = chunk
                        language = chunk.get("language") or language
                    elif mode == "tasks":
                        started = stage_of(chunk["name"]) if "input" in chunk else None
                        if started is not None and started != stage:
                            stage = started
                            emit(("progress", {"stage": stage}))
                    else:
                        for node, update in chunk.items():
                            if node == "__interrupt__":
                                final = {**final, "__interrupt__": update}
                                continue
                            for event in _step_events(node, update, language):
                                replied = replied or event[0] == "reply"
                                emit(event)
                result = await self._finish(conversation.id, message, final)
            if result.question is not None:
                emit(("question", question_event(result.question, result.language, user.timezone)))
            elif not replied:
                emit(("reply", _reply(result.reply, result.language)))
            emit(("result", result_json(result, user.timezone)))
        except Exception:
            # The stream has begun (200 sent): the failure becomes its last event, in words.
            log.exception("chat stream: the turn failed")
            emit(("error", error_event(language)))
        finally:
            emit(None)

    async def forget(self, user: User, conversation_id: uuid.UUID) -> None:
        """Delete a conversation: its messages and its graph thread's checkpoints (the
        checkpointer keeps no TTL of its own, so this is also how old threads are dropped)."""
        async with self._locked(user, conversation_id):  # theirs, and no turn in flight
            # The thread first: if that fails, the conversation is still there to retry with.
            if isinstance(self.graph.checkpointer, BaseCheckpointSaver):
                await self.graph.checkpointer.adelete_thread(str(conversation_id))
            await self.conversations.delete(user.id, conversation_id)
            self.locks.forget(conversation_id)

    async def _finish(
        self, conversation_id: uuid.UUID, message: str, out: dict[str, Any]
    ) -> ChatResult:
        interrupts = out.get("__interrupt__") or ()
        question = interrupts[0].value if interrupts else None
        reply = question["text"] if question else out.get("reply", "")
        result = ChatResult(
            conversation_id=conversation_id,
            reply=reply,
            language=out.get("language") or "en",
            actions=[] if question else out.get("actions", []),
            tasks=[] if question else out.get("tasks", []),
            question=question,
        )
        await self.conversations.record_turn(
            conversation_id,
            message,
            reply,
            {"actions": result.actions, "question": question is not None},
            awaiting_reply=question is not None,
        )
        return result


# The node that settles a turn's reply: the orchestrator's audit step (respond: older graphs).
_REPLYING = frozenset({"audit", "respond"})


def _step_events(node: str, update: Any, language: str) -> list[tuple[str, dict[str, Any]]]:
    """What one finished node has to tell: the changes it made, or the reply it wrote."""
    if not isinstance(update, dict):
        return []
    tasks = update.get("tasks") or []
    events = [("action", action_event(a, tasks)) for a in update.get("actions") or ()]
    if node in _REPLYING and update.get("reply"):
        events.append(("reply", _reply(update["reply"], update.get("language") or language)))
    return events


def _reply(text: str, language: str) -> dict[str, Any]:
    return {"text": text, "language": language}


def result_json(result: ChatResult, tz: str) -> dict[str, Any]:
    """The body of `POST /v1/chat`, also the last event of its stream."""
    question = result.question
    return {
        "conversation_id": str(result.conversation_id),
        "reply": result.reply,
        "language": result.language,
        "actions": result.actions,
        "tasks": result.tasks,
        "awaiting_reply": question is not None,
        "question": None if question is None else question_event(question, result.language, tz),
    }
