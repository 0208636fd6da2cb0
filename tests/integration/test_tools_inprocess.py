"""The MCP tools in process, as the graph calls them: bound users, idempotency, clear errors."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from domain.store import TaskStore, UserStore
from tools.client import CallBinding, HostedToolbox, ToolFailed
from tools.server import build_server


@pytest.fixture
async def toolbox(pool: asyncpg.Pool):
    tasks, users = TaskStore(pool), UserStore(pool)
    host = HostedToolbox(build_server(lambda: tasks, lambda: users))
    yield await host.start()
    await host.stop()


async def new_user(pool: asyncpg.Pool, tz: str = "Asia/Karachi") -> str:
    user = await UserStore(pool).create(f"{uuid.uuid4().hex[:10]}@example.com", "x", timezone=tz)
    return str(user.id)


async def test_tools_act_for_the_bound_user_only(toolbox, pool) -> None:
    alice, bob = await new_user(pool), await new_user(pool)
    made = await toolbox.call(
        "create_task",
        {"title": "Buy milk", "due_date": "2026-12-01", "priority": 2},
        CallBinding(alice),
    )
    assert made["title"] == "Buy milk"
    assert made["due"] == "2026-11-30T19:00:00Z"  # local midnight in Karachi
    assert made["all_day"] is True
    mine = await toolbox.call("list_tasks", {}, CallBinding(alice))
    theirs = await toolbox.call("list_tasks", {}, CallBinding(bob))
    assert [t["id"] for t in mine["tasks"]] == [made["id"]]
    assert theirs["tasks"] == []
    with pytest.raises(ToolFailed, match="no task"):
        await toolbox.call("complete_task", {"task_id": made["id"]}, CallBinding(bob))


async def test_a_replayed_call_acts_once(toolbox, pool) -> None:
    alice = await new_user(pool)
    binding = CallBinding(alice, idempotency_key="conv-1:turn-3:create")
    first = await toolbox.call("create_task", {"title": "Once"}, binding)
    again = await toolbox.call("create_task", {"title": "Once"}, binding)
    assert first["id"] == again["id"]
    listed = await toolbox.call("list_tasks", {"text": "Once"}, CallBinding(alice))
    assert len(listed["tasks"]) == 1
    delete = CallBinding(alice, idempotency_key="conv-1:turn-4:delete")
    gone = await toolbox.call("delete_task", {"task_id": first["id"]}, delete)
    gone_again = await toolbox.call("delete_task", {"task_id": first["id"]}, delete)
    assert gone == gone_again


async def test_bad_arguments_come_back_as_readable_errors(toolbox, pool) -> None:
    alice = await new_user(pool)
    with pytest.raises(ToolFailed, match="RRULE"):
        await toolbox.call(
            "create_task",
            {"title": "x", "rrule": "sometimes", "due_date": "2026-12-01"},
            CallBinding(alice),
        )
    made = await toolbox.call("create_task", {"title": "x"}, CallBinding(alice))
    with pytest.raises(ToolFailed, match="due"):
        await toolbox.call(
            "set_reminder", {"task_id": made["id"], "offset_minutes": 10}, CallBinding(alice)
        )
