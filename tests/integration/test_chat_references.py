"""References and bulk changes are resolved in Postgres: a turn that names one task among
hundreds reads a handful of rows, never the whole list."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import asyncpg
import pytest
from langgraph.graph.state import CompiledStateGraph

from domain.models import Status, Task, TaskCreate, TaskFilter
from domain.store import ConversationStore, Outbox, Page, TaskStore, UserStore
from graph.checkpointer import open_checkpointer
from graph.context import Context
from graph.graph import make_builder
from graph.nodes import Deps
from tools.client import DirectToolbox
from tools.server import build_server

OPEN_TASKS = 300


@dataclass
class Reads:
    """Rows handed to the graph, by store method."""

    rows: dict[str, int] = field(default_factory=dict)

    def add(self, method: str, n: int) -> None:
        self.rows[method] = self.rows.get(method, 0) + n


class CountingStore(TaskStore):
    def __init__(self, db: asyncpg.Pool, reads: Reads) -> None:
        super().__init__(db)
        self.reads = reads

    async def list(self, owner_id: uuid.UUID, flt: TaskFilter | None = None, **kw) -> Page:
        page = await super().list(owner_id, flt, **kw)
        self.reads.add("list", len(page.items))
        return page

    async def search(self, owner_id: uuid.UUID, text: str, **kw) -> list[Task]:
        found = await super().search(owner_id, text, **kw)
        self.reads.add("search", len(found))
        return found

    async def ids(self, owner_id: uuid.UUID, **kw) -> list[uuid.UUID]:
        found = await super().ids(owner_id, **kw)
        self.reads.add("ids", len(found))
        return found


@dataclass
class Chat:
    graph: CompiledStateGraph
    tasks: TaskStore
    user_id: uuid.UUID
    ctx: Context
    reads: Reads

    async def say(self, message: str) -> dict:
        config = {"configurable": {"thread_id": self.ctx.conversation_id}}
        return await self.graph.ainvoke(
            {"message": message}, config, context=self.ctx, durability="exit"
        )


@pytest.fixture
async def chat(database_url: str, pool: asyncpg.Pool) -> AsyncIterator[Chat]:
    reads = Reads()
    tasks, users = CountingStore(pool, reads), UserStore(pool)
    deps = Deps(DirectToolbox(build_server(lambda: tasks, lambda: users)), Outbox(pool), tasks)

    async def provide() -> Deps:
        return deps

    user = await users.create(f"{uuid.uuid4().hex[:8]}@example.com", "x", timezone="Asia/Karachi")
    for i in range(OPEN_TASKS):
        await tasks.create(user.id, TaskCreate(title=f"errand number {i} at the market"))
    for title in ("buy milk", "call the dentist", "دودھ خریدنا"):
        await tasks.create(user.id, TaskCreate(title=title))
    opened = await ConversationStore(pool).open(user.id, None)
    ctx = Context(user_id=str(user.id), timezone="Asia/Karachi", conversation_id=str(opened.id))
    async with open_checkpointer(database_url, max_size=4) as saver:
        graph = make_builder(provide).compile(checkpointer=saver)
        yield Chat(graph, tasks, user.id, ctx, reads)


async def test_a_reference_among_hundreds_reads_only_its_candidates(chat: Chat) -> None:
    done = await chat.say("mark buy milk as done")
    assert done["actions"][0]["action"] == "completed"
    assert done["tasks"][0]["title"] == "buy milk"
    urdu = await chat.say("دودھ والا کام مکمل کر دو")
    assert urdu["tasks"][0]["title"] == "دودھ خریدنا"
    assert chat.reads.rows.get("list", 0) == 0
    assert 0 < chat.reads.rows["search"] <= 2 * 20  # two references, top candidates each


async def test_a_bulk_change_reads_ids_not_tasks(chat: Chat) -> None:
    asked = await chat.say("mark all my tasks as done")
    assert asked["__interrupt__"][0].value["kind"] == "confirm"
    assert str(OPEN_TASKS + 3) in asked["__interrupt__"][0].value["text"]
    assert chat.reads.rows == {"ids": OPEN_TASKS + 3}
    left = await chat.tasks.list(chat.user_id, TaskFilter(status=Status.OPEN), limit=1)
    assert len(left.items) == 1  # only asked: nothing changed yet
