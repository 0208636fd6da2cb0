"""Chat turns per second and latency, side by side in one run, with the rules backend:

- over HTTP (the API with N workers, Postgres checkpointer, durability exit);
- in process on the Postgres checkpointer (durability exit): the product's graph with tools called
  directly, the same graph with tools through an in-process MCP session (JSON-RPC), and a
  one-node LangGraph peer doing the same job (same understanding, same store calls per intent,
  same audit event, same checkpointer);
- supersteps per turn, one tool call direct vs over JSON-RPC, and reference latency ("mark X as
  done") at 10 and at 3,000 open tasks.

    .venv/bin/python -m bench.bench_chat --conversations 32 --seconds 10 --workers 2

Targets (2 cores): product >= 0.8 x the peer in process; HTTP >= 300 turns/s, p95 <= 100 ms at 32
conversations; reference at 3,000 tasks <= 1.25 x at 10 tasks.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from datetime import time as clock_time
from typing import Any, TypedDict

import aiohttp
import asyncpg
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime

from bench.common import embedded_env, login, pct, wait_http
from core.logging import setup_logging
from domain.events import EventType, Topic
from domain.models import Status, TaskCreate, TaskFilter
from domain.recurrence import localize
from domain.store import Meta, Outbox, TaskStore, UserStore, create_pool, migrate
from graph.checkpointer import open_checkpointer
from graph.context import Context
from graph.graph import make_builder
from graph.nodes import Deps, Tools
from graph.references import clean, resolve
from runtime.embedded import free_port
from skills.understanding import Intent, ParseContext, RulesUnderstander
from tools.client import CallBinding, DirectToolbox, HostedToolbox
from tools.server import build_server

# A realistic mix: mostly creating and asking, sometimes completing and chatting.
TURNS = [
    "buy milk tomorrow at 5pm #shopping",
    "what's due today?",
    "add call the dentist on friday p2",
    "mark buy milk as done",
    "کل شام 5 بجے امی کو فون کرنا",
    "help",
]
TZ = "Asia/Karachi"
Run = Callable[[str, str, int], Awaitable[Any]]  # (user id, thread, turn index) -> one turn


async def http_conversation(
    base: str, token: str, stop_at: float, latencies: list[float], errors: list[int]
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    conversation: str | None = None
    async with aiohttp.ClientSession(headers=headers, connector=aiohttp.TCPConnector(limit=1)) as s:
        i = 0
        while time.monotonic() < stop_at:
            body = {"message": TURNS[i % len(TURNS)]}
            if conversation:
                body["conversation_id"] = conversation
            i += 1
            started = time.perf_counter()
            async with s.post(f"{base}/v1/chat", json=body) as r:
                data = await r.json()
                if r.status != 200:
                    errors.append(r.status)
                    continue
            latencies.append(time.perf_counter() - started)
            conversation = data["conversation_id"]


async def over_http(args: argparse.Namespace, base: str) -> tuple[list[float], float, int]:
    await wait_http(f"{base}/health")
    async with aiohttp.ClientSession() as s:
        tokens = [await login(base, s) for _ in range(args.conversations)]
    latencies: list[float] = []
    errors: list[int] = []
    started = time.monotonic()
    await asyncio.gather(
        *(http_conversation(base, t, started + args.seconds, latencies, errors) for t in tokens)
    )
    return latencies, time.monotonic() - started, len(errors)


# -- the one-node peer ------------------------------------------------------------------------


class PeerState(TypedDict, total=False):
    message: str
    reply: str
    turn: int


def peer_builder(tasks: TaskStore, users: UserStore, outbox: Outbox) -> StateGraph:
    """One node: understand with the same rules backend, then the store calls the product's
    tools make for the intent (the user's zone, the search, the change), then the audit event."""
    understander = RulesUnderstander()

    async def turn(state: PeerState, runtime: Runtime[Context]) -> dict[str, Any]:
        ctx = runtime.context
        owner = uuid.UUID(ctx.user_id)
        parse = ParseContext(now=ctx.clock(), timezone=ctx.timezone, locale=ctx.locale)
        u = await understander.understand(state["message"], parse)
        n = state.get("turn", 0) + 1
        meta = Meta(idempotency_key=f"{ctx.conversation_id}:{n}")
        reply = "ok"
        if u.intent is Intent.CREATE_TASK and u.task.title:
            zone = (await users.get(owner)).timezone
            due = None
            if u.task.due_date is not None:
                day = datetime.combine(u.task.due_date, u.task.due_time or clock_time(0))
                due = localize(day, zone)
            data = TaskCreate(title=u.task.title, tags=u.task.tags,
                              priority=u.task.priority or 4, due=due)  # fmt: skip
            reply = (await tasks.create(owner, data, meta)).title
        elif u.intent is Intent.COMPLETE_TASK and u.target is not None and u.target.text:
            text = u.target.text
            found = await tasks.search(owner, clean(text) or text, status=Status.OPEN, limit=20)
            views = [{"id": str(t.id), "title": t.title} for t in found]
            if (hit := resolve(text, views).task) is not None:
                await tasks.get(owner, uuid.UUID(hit["id"]))  # the tool reads the task first
                reply = (await tasks.complete(owner, uuid.UUID(hit["id"]), meta)).title
        elif u.intent is Intent.QUERY_TASKS:
            reply = str(len((await tasks.list(owner, TaskFilter(status=Status.OPEN))).items))
        decision = {"intent": u.intent.value, "confidence": u.confidence, "turn": n}
        await outbox.emit(owner, Topic.AUDIT_EVENTS, EventType.AGENT_DECISION,
                          f"conversation/{ctx.conversation_id}", decision)  # fmt: skip
        return {"reply": reply, "turn": n}

    b = StateGraph(PeerState, context_schema=Context)
    b.add_node("turn", turn)
    b.add_edge(START, "turn")
    b.add_edge("turn", END)
    return b


# -- in process --------------------------------------------------------------------------------


@dataclass
class Bench:
    pool: asyncpg.Pool
    tasks: TaskStore
    users: UserStore
    outbox: Outbox
    direct: DirectToolbox
    jsonrpc: Tools
    saver: Any

    def product(self, toolbox: Tools) -> CompiledStateGraph:
        deps = Deps(toolbox=toolbox, outbox=self.outbox, tasks=self.tasks)

        async def provide() -> Deps:
            return deps

        return make_builder(provide).compile(checkpointer=self.saver)

    def peer(self) -> CompiledStateGraph:
        return peer_builder(self.tasks, self.users, self.outbox).compile(checkpointer=self.saver)

    async def person(self) -> str:
        email = f"inproc-{uuid.uuid4().hex[:8]}@example.com"
        return str((await self.users.create(email, "x", timezone=TZ)).id)


@contextlib.asynccontextmanager
async def bench_env(database_url: str) -> AsyncIterator[Bench]:
    pool = await create_pool(database_url, max_size=20, stateless=True)  # as the API does
    async with pool.acquire() as conn:
        await migrate(conn)
    tasks, users = TaskStore(pool), UserStore(pool)
    server = build_server(lambda: tasks, lambda: users)
    host = HostedToolbox(server)
    try:
        async with open_checkpointer(database_url, max_size=20) as saver:
            yield Bench(pool, tasks, users, Outbox(pool), DirectToolbox(server),
                        await host.start(), saver)  # fmt: skip
    finally:
        await host.stop()
        await pool.close()


async def load(
    bench: Bench, graph: CompiledStateGraph, conversations: int, seconds: float
) -> tuple[list[float], float]:
    people = [await bench.person() for _ in range(conversations)]
    latencies: list[float] = []
    started = time.monotonic()
    stop_at = started + seconds

    async def converse(user_id: str) -> None:
        thread = str(uuid.uuid4())
        ctx = Context(user_id=user_id, timezone=TZ, conversation_id=thread)
        config = {"configurable": {"thread_id": thread}}
        i = 0
        while time.monotonic() < stop_at:
            t0 = time.perf_counter()
            await graph.ainvoke(
                {"message": TURNS[i % len(TURNS)]}, config, context=ctx, durability="exit"
            )
            latencies.append(time.perf_counter() - t0)
            i += 1

    await asyncio.gather(*(converse(p) for p in people))
    return latencies, time.monotonic() - started


async def supersteps(bench: Bench) -> int:
    """Graph steps of one 'add …' turn (each step is a scheduling round and, with durability
    sync/async, a checkpoint write)."""
    graph = bench.product(bench.direct)
    thread = str(uuid.uuid4())
    ctx = Context(user_id=await bench.person(), timezone=TZ, conversation_id=thread)
    steps = 0
    async for _ in graph.astream({"message": "add water the plants"},
                                 {"configurable": {"thread_id": thread}}, context=ctx,
                                 stream_mode="updates", durability="exit"):  # fmt: skip
        steps += 1
    return steps


async def tool_call_cost(bench: Bench, calls: int = 300) -> dict[str, float]:
    user_id = await bench.person()
    task = await bench.direct.call("create_task", {"title": "a task"}, CallBinding(user_id))
    costs = {}
    for name, box in (("direct", bench.direct), ("JSON-RPC session", bench.jsonrpc)):
        t0 = time.perf_counter()
        for _ in range(calls):
            await box.call("get_task", {"task_id": task["id"]}, CallBinding(user_id))
        costs[name] = (time.perf_counter() - t0) / calls * 1000
    return costs


async def reference_latency(bench: Bench, sizes: tuple[int, ...], reps: int = 40) -> list[float]:
    """p50 of 'mark <title> as done' turns for users with `sizes` open tasks. The users take
    turns one after the other, so a shared machine's drifting load falls on each size alike."""
    users = []
    for open_tasks in sizes:
        user_id = await bench.person()
        await bench.pool.execute(
            "INSERT INTO app.tasks (id, owner_id, title, created_at, updated_at)"
            " SELECT gen_random_uuid(), $1, 'errand number ' || g || ' at the market', now(),"
            " now() FROM generate_series(1, $2) g",
            uuid.UUID(user_id),
            open_tasks,
        )
        ctx = Context(user_id=user_id, timezone=TZ, conversation_id=str(uuid.uuid4()))
        users.append(ctx)
    # What autovacuum does within a minute of a bulk load: without statistics the planner
    # does not know an owner has thousands of tasks and skips the title indexes.
    await bench.pool.execute("ANALYZE app.tasks")
    graph = bench.product(bench.direct)
    latencies: list[list[float]] = [[] for _ in sizes]
    for i in range(reps):
        for ctx, found in zip(users, latencies, strict=True):
            owner = uuid.UUID(ctx.user_id)
            await bench.tasks.create(owner, TaskCreate(title=f"renew permit {i}"))
            config = {"configurable": {"thread_id": ctx.conversation_id}}
            t0 = time.perf_counter()
            out = await graph.ainvoke({"message": f"mark renew permit {i} as done"}, config,
                                      context=ctx, durability="exit")  # fmt: skip
            found.append(time.perf_counter() - t0)
            assert out["actions"][0]["action"] == "completed", out["reply"]
    return [pct(found, 50) for found in latencies]


async def in_process(args: argparse.Namespace, database_url: str) -> None:
    async with bench_env(database_url) as bench:
        graphs = {
            "product, tools direct": bench.product(bench.direct),
            "product, tools JSON-RPC": bench.product(bench.jsonrpc),
            "one-node peer": bench.peer(),
        }
        # Alternating rounds: a shared machine's drifting load falls on each graph alike.
        rows: dict[str, tuple[list[float], float]] = {name: ([], 0.0) for name in graphs}
        for _ in range(args.rounds):
            for name, graph in graphs.items():
                lat, secs = await load(bench, graph, args.conversations, args.seconds / args.rounds)
                rows[name] = (rows[name][0] + lat, rows[name][1] + secs)
        rates = {name: report(name, lat, secs) for name, (lat, secs) in rows.items()}
        ratio = rates["product, tools direct"] / rates["one-node peer"]
        print(f"product / peer               {ratio:.2f}   (target >= 0.8)")
        print(f"supersteps of an 'add' turn  {await supersteps(bench)}   (was 7)")
        for name, ms in (await tool_call_cost(bench)).items():
            print(f"one tool call, {name:<16} {ms:.3f} ms")
        few, many = await reference_latency(bench, (10, 3000))
        print(f"reference p50 at 10 tasks    {few * 1000:.1f} ms")
        print(f"reference p50 at 3,000 tasks {many * 1000:.1f} ms   ratio {many / few:.2f}"
              "   (target <= 1.25)")  # fmt: skip


def report(name: str, latencies: list[float], elapsed: float) -> float:
    rate = len(latencies) / elapsed
    print(
        f"{name:<28} {rate:8.0f} turns/s   p50 {pct(latencies, 50) * 1000:6.1f} ms"
        f"   p95 {pct(latencies, 95) * 1000:6.1f} ms   p99 {pct(latencies, 99) * 1000:6.1f} ms"
    )
    return rate


def main() -> None:
    setup_logging("bench", level="WARNING")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5, help="alternating in-process rounds")
    parser.add_argument("--no-http", action="store_true", help="in process only")
    args = parser.parse_args()

    with embedded_env(NLU_BACKEND="rules") as env:
        if not args.no_http:
            port = free_port()
            api = subprocess.Popen(
                [sys.executable, "-m", "runtime", "api", "--port", str(port), "--workers",
                 str(args.workers)], env=env,
            )  # fmt: skip
            try:
                http = asyncio.run(over_http(args, f"http://127.0.0.1:{port}"))
            finally:
                api.terminate()
                api.wait(15)
            lat, secs, errors = http
            print(f"{args.conversations} concurrent conversations, rules backend, "
                  f"{args.workers} API workers, errors over HTTP: {errors}")  # fmt: skip
            report("HTTP + checkpointer (exit)", lat, secs)
        asyncio.run(in_process(args, env["DATABASE_URL"]))


if __name__ == "__main__":
    main()
