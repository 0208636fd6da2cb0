"""A graph step replayed from an earlier checkpoint (as after a crash mid-turn) acts once."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
import pytest
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from domain.store import ConversationStore, Outbox, TaskStore, UserStore
from graph.checkpointer import open_checkpointer
from graph.context import Context
from graph.graph import make_builder
from graph.nodes import Deps
from tools.client import HostedToolbox
from tools.server import build_server


@dataclass
class Conversation:
    """The orchestrator on the Postgres checkpointer, and one new user's conversation in it."""

    graph: CompiledStateGraph
    tasks: TaskStore
    user_id: uuid.UUID
    config: dict
    ctx: Context


@pytest.fixture
async def conversation(database_url: str, pool: asyncpg.Pool) -> AsyncIterator[Conversation]:
    tasks, users = TaskStore(pool), UserStore(pool)
    host = HostedToolbox(build_server(lambda: tasks, lambda: users))
    deps = Deps(toolbox=await host.start(), outbox=Outbox(pool), tasks=tasks)

    async def provide() -> Deps:
        return deps

    user = await users.create(f"{uuid.uuid4().hex[:8]}@example.com", "x", timezone="Asia/Karachi")
    opened = await ConversationStore(pool).open(user.id, None)
    ctx = Context(user_id=str(user.id), timezone="Asia/Karachi", conversation_id=str(opened.id))
    try:
        async with open_checkpointer(database_url, max_size=4) as saver:
            graph = make_builder(provide).compile(checkpointer=saver)
            config = {"configurable": {"thread_id": str(opened.id)}}
            yield Conversation(graph, tasks, user.id, config, ctx)
    finally:
        await host.stop()


async def test_replaying_a_resumed_turn_does_not_create_twice(conversation: Conversation) -> None:
    graph, config, ctx = conversation.graph, conversation.config, conversation.ctx
    asked = await graph.ainvoke(
        {"message": "add a task for tomorrow"}, config, context=ctx, durability="exit"
    )
    assert asked["__interrupt__"][0].value["kind"] == "title"
    paused = await graph.aget_state(config)

    done = await graph.ainvoke(Command(resume="water the plants"), config, context=ctx)
    # The same step again from the paused checkpoint: a retry after a lost reply.
    again = await graph.ainvoke(Command(resume="water the plants"), paused.config, context=ctx)

    assert done["actions"][0]["action"] == "created"
    assert again["tasks"][0]["id"] == done["tasks"][0]["id"]
    page = await conversation.tasks.list(conversation.user_id)
    assert [t.title for t in page.items] == ["water the plants"]


async def test_a_repeated_turn_number_with_another_message_still_acts(
    conversation: Conversation,
) -> None:
    """A turn re-run from an older checkpoint (its own checkpoint lost in a crash, or a second
    replica serving the same conversation) reuses the turn number: a different message must
    act, the same message retried must not act twice."""
    graph, config, ctx = conversation.graph, conversation.config, conversation.ctx
    await graph.ainvoke({"message": "add buy milk"}, config, context=ctx)
    before = await graph.aget_state(config)
    eggs = await graph.ainvoke({"message": "add buy eggs"}, config, context=ctx)
    bread = await graph.ainvoke({"message": "add buy bread"}, before.config, context=ctx)
    retry = await graph.ainvoke({"message": "add buy eggs"}, before.config, context=ctx)

    assert bread["actions"][0]["action"] == "created"
    assert bread["tasks"][0]["id"] != eggs["tasks"][0]["id"]
    assert retry["tasks"][0]["id"] == eggs["tasks"][0]["id"]
    page = await conversation.tasks.list(conversation.user_id)
    assert sorted(t.title for t in page.items) == ["buy bread", "buy eggs", "buy milk"]
