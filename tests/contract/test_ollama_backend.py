"""Contract: OllamaUnderstander against a local stand-in speaking Ollama's /api/chat protocol.

The stand-in is a real HTTP server (Starlette under uvicorn on a random port), so the request
goes through ChatOllama, the `ollama` client and httpx exactly as it would to a real Ollama.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time as wall
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import uvicorn
from langchain_core.output_parsers import PydanticOutputParser
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from core.settings import Settings
from domain.recurrence import first_n_local
from skills.understanding import Intent, ParseContext, TaskRef, UnderstandingUnavailable
from skills.understanding.factory import make_understander
from skills.understanding.ollama import (
    NUM_PREDICT,
    RETRY_TEMPERATURE,
    OllamaUnderstander,
    Spans,
)
from tests.conftest import register, serve_api

pytestmark = pytest.mark.contract

MODEL = "qwen2.5:3b-instruct"
CTX = ParseContext(
    now=datetime(2026, 3, 13, 10, 0, tzinfo=ZoneInfo("Asia/Karachi")), timezone="Asia/Karachi"
)


@dataclass
class Reply:
    """One scripted answer: the raw text sent as content, how it ends, how long it takes."""

    content: str
    done_reason: str = "stop"
    drop_stream: bool = False  # the server dies mid-answer: no final "done" record
    delay: float = 0.0


@dataclass
class FakeOllama:
    """What the stand-in answers next, and every request it saw.

    `script` is answered first, one reply per request; then `answer` (as JSON) every time.
    """

    answer: dict[str, Any] = field(default_factory=dict)
    fail_with: int | None = None
    script: list[Reply] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)

    def next_reply(self) -> Reply:
        if self.script:
            return self.script.pop(0)
        return Reply(json.dumps(self.answer, ensure_ascii=False))

    async def chat(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append(body)
        self.paths.append(request.url.path)
        if self.fail_with is not None:
            error = "model runner crashed"
            if self.fail_with == 404:
                error = f'model "{body["model"]}" not found, try pulling it first'
            return JSONResponse({"error": error}, status_code=self.fail_with)
        reply = self.next_reply()
        if reply.delay:
            await asyncio.sleep(reply.delay)
        content = reply.content
        now = "2026-03-13T05:00:00Z"
        final = {
            "model": body["model"],
            "created_at": now,
            "message": {"role": "assistant", "content": ""},
            "done": True,
            "done_reason": reply.done_reason,
            "total_duration": 1000,
            "prompt_eval_count": 10,
            "eval_count": 10,
        }
        if not body.get("stream", True):
            final["message"]["content"] = content
            return JSONResponse(final)

        def lines() -> Iterator[bytes]:
            # streamed like Ollama: content in pieces, then a final "done" record
            for i in range(0, len(content), 16):
                part = {
                    "model": body["model"],
                    "created_at": now,
                    "message": {"role": "assistant", "content": content[i : i + 16]},
                    "done": False,
                }
                yield (json.dumps(part) + "\n").encode()
            if not reply.drop_stream:
                yield (json.dumps(final) + "\n").encode()

        return StreamingResponse(lines(), media_type="application/x-ndjson")

    async def other(self, request: Request) -> Response:
        self.paths.append(request.url.path)
        return JSONResponse({"error": "not implemented by the stand-in"}, status_code=404)


@pytest.fixture(scope="module")
def fake_ollama() -> Iterator[tuple[FakeOllama, str]]:
    fake = FakeOllama()
    app = Starlette(
        routes=[
            Route("/api/chat", fake.chat, methods=["POST"]),
            Route("/api/{rest:path}", fake.other, methods=["GET", "POST"]),
        ]
    )
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = wall.monotonic() + 10
    while not server.started:
        assert wall.monotonic() < deadline, "stand-in did not start"
        wall.sleep(0.01)
    yield fake, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)
    sock.close()


@pytest.fixture
def fake(fake_ollama: tuple[FakeOllama, str]) -> FakeOllama:
    stand_in, _ = fake_ollama
    stand_in.requests.clear()
    stand_in.paths.clear()
    stand_in.fail_with = None
    stand_in.script.clear()
    return stand_in


@pytest.fixture
def backend(fake_ollama: tuple[FakeOllama, str]) -> OllamaUnderstander:
    _, url = fake_ollama
    understander = make_understander("ollama", ollama_base_url=url, ollama_model=MODEL)
    assert isinstance(understander, OllamaUnderstander)
    understander.backoff_seconds = 0.0  # keep the retry test fast; the count is what matters
    return understander


async def test_urdu_reminder_is_resolved_by_the_deterministic_code(
    fake: FakeOllama, backend: OllamaUnderstander
) -> None:
    fake.answer = {
        "intent": "create_task",
        "confidence": 0.92,
        "title": "امی کو فون کرنا",
        "date_phrase": "کل",
        "time_phrase": "شام 5 بجے",
        "remind_at_due": True,
    }
    u = await backend.understand("کل شام 5 بجے امی کو فون کرنا یاد دلانا", CTX)

    assert u.intent is Intent.CREATE_TASK
    assert u.language == "ur"
    assert u.task.title == "امی کو فون کرنا"
    # the model gave words; the dates come from our resolvers and the fixed now
    assert (u.task.due_date, u.task.due_time) == (date(2026, 3, 14), time(17, 0))
    assert u.reminder is not None
    assert u.reminder.offset_minutes == 0
    assert u.missing == []


async def test_request_carries_schema_system_prompt_and_message(
    fake: FakeOllama, backend: OllamaUnderstander
) -> None:
    fake.answer = {"intent": "help", "confidence": 0.9}
    await backend.understand("what can you do?", CTX)

    assert fake.paths == ["/api/chat"]
    body = fake.requests[0]
    assert body["model"] == MODEL
    assert body["options"]["temperature"] == 0
    assert body["options"]["num_predict"] == NUM_PREDICT  # the answer is bounded in tokens too
    assert body["format"] == Spans.model_json_schema()  # structured output: a JSON schema
    assert set(body["format"]["properties"]) >= {"intent", "date_phrase", "recurrence_phrase"}
    system, user = body["messages"]
    assert system["role"] == "system"
    assert "language-understanding step" in system["content"]  # system_prompts/behaviour.md
    assert "# Recurring tasks" in system["content"]  # prompts/recurring.md
    assert user["role"] == "user"
    assert "what can you do?" in user["content"]
    assert "Asia/Karachi" in user["content"]


async def test_recurrence_and_update_are_resolved(
    fake: FakeOllama, backend: OllamaUnderstander
) -> None:
    fake.answer = {
        "intent": "create_task",
        "confidence": 0.9,
        "title": "water plants",
        "recurrence_phrase": "every other tuesday",
        "time_phrase": "at 7am",
        "priority_phrase": "p2",
        "tags": ["#Home", "home"],
    }
    u = await backend.understand("water plants every other tuesday at 7am p2 #home", CTX)
    assert u.recurrence is not None
    occurrences = first_n_local(u.recurrence.rrule, u.recurrence.dtstart, 3)
    assert occurrences == [
        datetime(2026, 3, 17, 7),
        datetime(2026, 3, 31, 7),
        datetime(2026, 4, 14, 7),
    ]
    assert (u.task.priority, u.task.tags, u.task.due_date) == (2, ["home"], date(2026, 3, 17))

    fake.answer = {
        "intent": "update_task",
        "confidence": 0.9,
        "target": "the dentist task",
        "date_phrase": "to friday",
    }
    u = await backend.understand("move the dentist to friday", CTX)
    assert (u.intent, u.target, u.task.due_date) == (
        Intent.UPDATE_TASK,
        TaskRef(text="dentist"),
        date(2026, 3, 13),
    )
    assert u.missing == []


async def test_query_and_missing_target(fake: FakeOllama, backend: OllamaUnderstander) -> None:
    fake.answer = {"intent": "query_tasks", "confidence": 0.9, "date_phrase": "this week"}
    u = await backend.understand("what's due this week", CTX)
    assert u.query is not None
    assert (u.query.due_from, u.query.due_to) == (date(2026, 3, 9), date(2026, 3, 15))

    fake.answer = {"intent": "delete_task", "confidence": 0.8}
    u = await backend.understand("delete", CTX)
    assert u.missing == ["target"]


async def test_server_error_is_retried_then_surfaced(
    fake: FakeOllama, backend: OllamaUnderstander
) -> None:
    fake.fail_with = 500
    with pytest.raises(UnderstandingUnavailable) as caught:
        await backend.understand("buy milk tomorrow", CTX)
    assert len(fake.requests) == backend.attempts == 3
    assert caught.value.backend == "ollama"
    assert "model runner crashed" in str(caught.value)


async def test_unknown_model_is_a_clear_error_and_not_retried(
    fake: FakeOllama, backend: OllamaUnderstander
) -> None:
    fake.fail_with = 404  # the model is not pulled: retrying cannot help
    with pytest.raises(UnderstandingUnavailable) as caught:
        await backend.understand("buy milk tomorrow", CTX)
    assert len(fake.requests) == 1
    assert str(caught.value).startswith(f"the language model {MODEL!r} at http://127.0.0.1:")
    assert "does not exist" in str(caught.value)
    assert f'model "{MODEL}" not found' in str(caught.value)


async def test_unreachable_server_is_unavailable() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    backend = OllamaUnderstander(base_url=f"http://127.0.0.1:{port}", model=MODEL)
    started = wall.monotonic()
    with pytest.raises(UnderstandingUnavailable, match="is unavailable"):
        await backend.understand("buy milk", CTX)
    # nothing listens: no retry and no back-off, the rules backend can answer at once
    assert wall.monotonic() - started < 0.5


def _unbounded(node: dict[str, Any], path: str = "$") -> tuple[list[str], int]:
    """Every string (but enums) without maxLength and every list without maxItems; and how many
    strings and lists were seen, so the walk itself is checked."""
    wrong: list[str] = []
    seen = 0
    if node.get("type") == "string" and "enum" not in node and "const" not in node:
        seen += 1
        wrong += [] if "maxLength" in node else [path]
    if node.get("type") == "array":
        seen += 1
        wrong += [] if "maxItems" in node else [path]
    children = [(f"{path}.{k}", v) for k, v in node.get("properties", {}).items()]
    children += [(f"{path}|{i}", v) for i, v in enumerate(node.get("anyOf", []))]
    children += [(f"{path}[]", node["items"])] if "items" in node else []
    for child_path, child in children:
        child_wrong, child_seen = _unbounded(child, child_path)
        wrong += child_wrong
        seen += child_seen
    return wrong, seen


def test_every_string_and_list_of_the_schema_is_bounded() -> None:
    wrong, seen = _unbounded(Spans.model_json_schema())
    assert wrong == []
    assert seen == 12  # 10 free-text strings, the tags list and each tag
    # the bounds hold on our side too, whatever the server's grammar did
    with pytest.raises(ValidationError):
        Spans.model_validate({"intent": "help", "confidence": 1, "tags": ["home"] * 6})
    with pytest.raises(ValidationError):
        Spans.model_validate({"intent": "create_task", "confidence": 1, "title": "x" * 500})


# What a small model does at the token limit: it was still repeating tags. langchain's parser
# closes the brackets (partial-JSON repair) and reads "delete all my tasks".
CUT_OFF = '{"intent": "delete_task", "confidence": 0.9, "all_tasks": true, "tags": ["a", "a", "a'
WHOLE = json.dumps({"intent": "create_task", "confidence": 0.9, "title": "buy milk"})


def test_the_cut_off_answer_is_one_langchain_would_act_on() -> None:
    """The bug the checks below guard against, shown on langchain's own parser."""
    repaired = PydanticOutputParser(pydantic_object=Spans).parse(CUT_OFF)
    assert (repaired.intent, repaired.all_tasks) == ("delete_task", True)


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(Reply(CUT_OFF, done_reason="length"), id="token-limit"),
        pytest.param(Reply(CUT_OFF), id="incomplete-json-said-stop"),
        pytest.param(Reply(CUT_OFF, drop_stream=True), id="stream-dropped"),
        pytest.param(Reply("I think you want to delete everything."), id="not-json"),
        pytest.param(Reply('{"intent": "obliterate", "confidence": 2}'), id="bad-enum"),
    ],
)
async def test_a_cut_off_or_garbled_answer_is_retried_then_given_up_never_acted_on(
    fake: FakeOllama, backend: OllamaUnderstander, reply: Reply
) -> None:
    fake.script = [reply] * backend.attempts
    with pytest.raises(UnderstandingUnavailable):
        await backend.understand("delete the tax form", CTX)
    assert len(fake.requests) == backend.attempts == 3
    # a retry samples a little: at temperature 0 the model would loop exactly the same way
    temperatures = [body["options"]["temperature"] for body in fake.requests]
    assert temperatures == [0, RETRY_TEMPERATURE, RETRY_TEMPERATURE]
    assert all(body["options"]["num_predict"] == NUM_PREDICT for body in fake.requests)


async def test_a_retry_that_finishes_is_used(fake: FakeOllama, backend: OllamaUnderstander) -> None:
    fake.script = [Reply(CUT_OFF, done_reason="length"), Reply(WHOLE)]
    u = await backend.understand("add buy milk", CTX)
    assert (u.intent, u.task.title, u.target) == (Intent.CREATE_TASK, "buy milk", None)
    assert len(fake.requests) == 2


async def test_a_slow_model_is_given_up_at_the_budget(
    fake: FakeOllama, fake_ollama: tuple[FakeOllama, str]
) -> None:
    _, url = fake_ollama
    backend = make_understander(
        "ollama", ollama_base_url=url, ollama_model=MODEL, ollama_budget_seconds=0.5
    )
    fake.script = [Reply(WHOLE, delay=3.0)]
    started = wall.monotonic()
    with pytest.raises(UnderstandingUnavailable, match=r"did not answer within 0\.5 s"):
        await backend.understand("add buy milk", CTX)
    assert wall.monotonic() - started < 1.0


def test_factory_names() -> None:
    from skills.understanding import RulesUnderstander

    kwargs = {"ollama_base_url": "http://127.0.0.1:11434", "ollama_model": MODEL}
    assert isinstance(make_understander("rules", **kwargs), RulesUnderstander)
    with pytest.raises(ValueError, match="unknown understanding backend"):
        make_understander("gpt", **kwargs)
    with pytest.raises(ValueError, match="needs a model name"):
        make_understander("ollama", ollama_base_url="http://127.0.0.1:11434", ollama_model=" ")


async def test_chat_over_http_on_the_ollama_backend_confirms_when_the_model_is_unsure(
    fake: FakeOllama, fake_ollama: tuple[FakeOllama, str], settings: Settings
) -> None:
    """The whole turn through the API with NLU_BACKEND=ollama: a confident create acts; an
    unsure delete is put to the user first, and goes ahead on their yes."""
    _, url = fake_ollama
    llm = settings.model_copy(
        update={"nlu_backend": "ollama", "ollama_base_url": url, "ollama_model": MODEL}
    )
    async with serve_api(llm) as base, httpx.AsyncClient(base_url=base, timeout=30) as client:
        user = await register(client)

        async def say(message: str, conversation: str | None = None) -> dict:
            body = {
                "message": message,
                **({"conversation_id": conversation} if conversation else {}),
            }
            r = await user.request("POST", "/v1/chat", json=body)
            assert r.status_code == 200, r.text
            return r.json()

        fake.answer = {"intent": "create_task", "confidence": 0.95, "title": "buy milk"}
        created = await say("add buy milk")
        assert created["actions"][0]["action"] == "created"

        fake.answer = {"intent": "delete_task", "confidence": 0.4, "target": "milk"}
        asked = await say("milk... gone?", created["conversation_id"])
        assert asked["awaiting_reply"] is True
        assert asked["reply"] == "Delete “buy milk”? (yes/no)"
        assert (await user.request("GET", "/v1/tasks")).json()["items"] != []

        done = await say("yes", created["conversation_id"])
        assert done["actions"][0]["action"] == "deleted"
        assert (await user.request("GET", "/v1/tasks")).json()["items"] == []
    assert all(body["model"] == MODEL for body in fake.requests)


async def test_chat_answers_with_the_rules_when_the_model_cuts_off_is_slow_or_down(
    fake: FakeOllama, fake_ollama: tuple[FakeOllama, str], settings: Settings
) -> None:
    """Through the API: a cut-off answer is never acted on (the stand-in would say "delete all
    my tasks"), a slow model is given up at the budget, a dead one at once; the rules answer."""
    _, url = fake_ollama
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    budget = 2.0  # room for three cut-off answers and two back-offs on a busy machine
    llm = settings.model_copy(
        update={
            "nlu_backend": "ollama",
            "ollama_base_url": url,
            "ollama_model": MODEL,
            "ollama_budget_seconds": budget,
        }
    )
    down = llm.model_copy(update={"ollama_base_url": dead})
    async with (
        serve_api(llm) as base,
        serve_api(down) as dead_base,
        httpx.AsyncClient(base_url=base, timeout=30) as client,
        httpx.AsyncClient(base_url=dead_base, timeout=30) as dead_client,
    ):
        user = await register(client)

        async def timed_say(who: Any, message: str) -> tuple[dict, float]:
            started = wall.monotonic()
            r = await who.request("POST", "/v1/chat", json={"message": message})
            assert r.status_code == 200, r.text
            return r.json(), wall.monotonic() - started

        fake.script = [Reply(CUT_OFF, done_reason="length")] * 3
        cut_off, _ = await timed_say(user, "add buy milk")
        assert len(fake.requests) == 3
        assert cut_off["actions"][0]["action"] == "created"  # the rules read it, not the model
        assert [t["title"] for t in (await user.request("GET", "/v1/tasks")).json()["items"]] == [
            "buy milk"
        ]

        fake.script = [Reply(WHOLE, delay=budget + 3)]
        slow, seconds = await timed_say(user, "add call mom")
        assert slow["actions"][0]["action"] == "created"
        assert seconds < budget + 1.0, f"{seconds:.2f} s for a {budget} s budget"

        other = await register(dead_client)
        gone, seconds = await timed_say(other, "add water plants")
        assert gone["actions"][0]["action"] == "created"
        assert seconds < 1.0, f"{seconds:.2f} s with nothing listening"
