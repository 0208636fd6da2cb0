"""One chat turn with LangSmith tracing on, for test_langsmith_tracing.py (run in its own process,
since the tracing settings are read from the environment once per process)."""

from __future__ import annotations

import asyncio
import sys
import uuid

from langchain_core.tracers.langchain import wait_for_all_tracers

from core.settings import Settings
from domain.store import ConversationStore, Outbox, TaskStore, UserStore, create_pool
from graph.graph import make_builder
from graph.nodes import Deps
from graph.service import ChatService
from tools.client import HostedToolbox
from tools.server import build_server


async def main(database_url: str, correlation_id: str) -> None:
    pool = await create_pool(database_url, max_size=4)
    tasks, users = TaskStore(pool), UserStore(pool)
    host = HostedToolbox(build_server(lambda: tasks, lambda: users))
    deps = Deps(toolbox=await host.start(), outbox=Outbox(pool))

    async def provide() -> Deps:
        return deps

    try:
        user = await users.create(f"trace-{uuid.uuid4().hex[:8]}@example.com", "x")
        service = ChatService(
            make_builder(provide).compile(), ConversationStore(pool), Settings(_env_file=None)
        )
        result = await service.turn(user, "add buy milk tomorrow", correlation_id=correlation_id)
        print(result.conversation_id)
    finally:
        await host.stop()
        await pool.close()
    wait_for_all_tracers()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
