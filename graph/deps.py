"""Dependencies of the graph when nothing injects them (LangGraph Studio, scripts).

Built on first use from the environment (DATABASE_URL), so importing the graph stays cheap
and needs no database; the API builds its own in its lifespan and passes them in.
"""

from __future__ import annotations

import asyncio

from core.settings import get_settings
from domain.store import Outbox, TaskStore, UserStore, create_pool
from graph.nodes import Deps
from tools.client import DirectToolbox
from tools.server import build_server

_deps: Deps | None = None
_lock = asyncio.Lock()


async def studio_deps() -> Deps:
    global _deps
    async with _lock:
        if _deps is None:
            url = get_settings().database_url
            if not url:
                raise RuntimeError("set DATABASE_URL to run the graph outside the API")
            pool = await create_pool(url)
            tasks, users = TaskStore(pool), UserStore(pool)
            toolbox = DirectToolbox(build_server(lambda: tasks, lambda: users))
            _deps = Deps(toolbox=toolbox, outbox=Outbox(pool), tasks=tasks)
    return _deps
