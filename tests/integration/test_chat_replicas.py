"""Two API replicas serving one conversation: each turn runs alone (a Postgres advisory lock per
conversation), and whether a conversation waits for an answer is the checkpointer's word."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import asyncpg

from core.settings import Settings
from domain.models import User
from domain.store import ConversationStore, Outbox, TaskStore, UserStore
from graph.checkpointer import open_checkpointer
from graph.graph import make_builder
from graph.locks import ConversationLocks
from graph.nodes import Deps
from graph.service import ChatService
from tools.client import DirectToolbox
from tools.server import build_server


@contextlib.asynccontextmanager
async def replica(
    database_url: str, pool: asyncpg.Pool, settings: Settings, *, shared_lock: bool
) -> AsyncIterator[ChatService]:
    """One API process's chat service: its own checkpointer, tools and locks."""
    tasks, users = TaskStore(pool), UserStore(pool)
    deps = Deps(DirectToolbox(build_server(lambda: tasks, lambda: users)), Outbox(pool), tasks)

    async def provide() -> Deps:
        return deps

    locks = await ConversationLocks.open(database_url, max_size=4) if shared_lock else None
    try:
        async with open_checkpointer(database_url, max_size=4) as saver:
            graph = make_builder(provide).compile(checkpointer=saver)
            yield ChatService(graph, ConversationStore(pool), settings, locks)
    finally:
        if locks is not None:
            await locks.close()


async def _user(pool: asyncpg.Pool) -> User:
    return await UserStore(pool).create(f"{uuid.uuid4().hex[:8]}@example.com", "x")


async def _turns_kept(
    database_url: str, pool: asyncpg.Pool, settings: Settings, *, shared_lock: bool
) -> tuple[int, int]:
    """(turns in the thread's last checkpoint, turns sent) after concurrent turns on two
    replicas."""
    user = await _user(pool)
    async with (
        replica(database_url, pool, settings, shared_lock=shared_lock) as a,
        replica(database_url, pool, settings, shared_lock=shared_lock) as b,
    ):
        first = await a.turn(user, "add task zero")
        conv = first.conversation_id
        rounds = 4
        for r in range(rounds):
            await asyncio.gather(
                a.turn(user, f"add task a{r}", conv), b.turn(user, f"add task b{r}", conv)
            )
        state = await a.graph.aget_state({"configurable": {"thread_id": str(conv)}})
        return state.values["turn"], 1 + 2 * rounds


async def test_two_replicas_never_overwrite_each_others_turns(
    database_url: str, pool: asyncpg.Pool, settings: Settings
) -> None:
    kept, sent = await _turns_kept(database_url, pool, settings, shared_lock=True)
    assert kept == sent


async def test_without_the_shared_lock_replicas_lose_turns(
    database_url: str, pool: asyncpg.Pool, settings: Settings
) -> None:
    """The control: what the lock prevents does happen without it."""
    kept, sent = await _turns_kept(database_url, pool, settings, shared_lock=False)
    assert kept < sent


async def test_a_pending_question_is_read_from_the_checkpointer(
    database_url: str, pool: asyncpg.Pool, settings: Settings
) -> None:
    user = await _user(pool)
    async with replica(database_url, pool, settings, shared_lock=True) as chat:
        asked = await chat.turn(user, "add a task for tomorrow")
        assert asked.question is not None
        # The row's copy drifts (a crash between checkpoint and row, an old replica): the
        # checkpoint's pending interrupt still says the answer resumes the question.
        await pool.execute(
            "UPDATE app.conversations SET awaiting_reply = false WHERE id = $1",
            asked.conversation_id,
        )
        answered = await chat.turn(user, "renew passport", asked.conversation_id)
        assert answered.actions[0]["action"] == "created"
        assert answered.tasks[0]["title"] == "renew passport"
        assert answered.question is None
