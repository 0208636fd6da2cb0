"""Smoke tests of the LLM path against a real model (SmolLM2-135M-Instruct on llama.cpp, CPU).

The model is small and mostly wrong; these tests check the plumbing it exercises, which a
stand-in cannot: the real prompt and schema reach a model through ChatOllama unchanged, the
constrained answer parses into `Spans`, a cut-off answer is retried and then left to the rules,
a slow or crashed model never holds up the chat, and a wrong model name says so.
"""

from __future__ import annotations

import asyncio
import logging
import time as wall
from datetime import datetime
from typing import Any, get_args
from zoneinfo import ZoneInfo

import httpx
import ollama
import pytest

from core.settings import Settings
from evals import ollama_bridge
from evals.ollama_bridge import MODEL, BridgeProcess
from skills.understanding import ParseContext, UnderstandingUnavailable
from skills.understanding.factory import make_understander
from skills.understanding.ollama import IntentName, OllamaUnderstander, Spans
from tests.conftest import register, serve_api

pytestmark = pytest.mark.model

CTX = ParseContext(
    now=datetime(2026, 3, 13, 10, 0, tzinfo=ZoneInfo("Asia/Karachi")), timezone="Asia/Karachi"
)
# Generous: the first message reads the ~3,000-token prompt on one core of a shared machine.
ANSWER_BUDGET = 150.0


def _backend(bridge: BridgeProcess, **kwargs: Any) -> OllamaUnderstander:
    return OllamaUnderstander(
        base_url=bridge.url,
        model=MODEL,
        timeout_seconds=ANSWER_BUDGET,
        budget_seconds=ANSWER_BUDGET,
        backoff_seconds=0.0,
        **kwargs,
    )


async def test_the_bridge_speaks_ollamas_api(model_bridge: BridgeProcess) -> None:
    client = ollama.AsyncClient(host=model_bridge.url)
    listed = await client.list()
    assert [m.model for m in listed.models] == [MODEL]
    shown = await client.show(MODEL)
    assert shown.details is not None
    assert shown.details.parameter_size == "135M"
    with pytest.raises(ollama.ResponseError) as caught:
        await client.show("llama3:70b")
    assert caught.value.status_code == 404


async def test_the_model_answers_and_every_answer_parses_into_spans(
    model_bridge: BridgeProcess,
) -> None:
    backend = _backend(model_bridge)
    statuses = {*get_args(get_args(Spans.model_fields["query_status"].annotation)[0]), None}
    # one message a script; each answer is ~6 s of CPU, so two are all the smoke test affords
    for text in ("buy milk tomorrow at 5pm #home", "کل شام 5 بجے امی کو فون کرنا"):
        spans = await backend.label(text, CTX)  # Spans, or UnderstandingUnavailable
        assert spans.intent in get_args(IntentName)
        assert spans.query_status in statuses
        assert 0.0 <= spans.confidence <= 1.0
        assert len(spans.tags) <= 5


async def test_the_answer_carries_the_runtimes_own_counts_and_done_reason(
    model_bridge: BridgeProcess,
) -> None:
    from langchain_core.messages import HumanMessage
    from langchain_ollama import ChatOllama

    llm = ChatOllama(base_url=model_bridge.url, model=MODEL, temperature=0, num_predict=4)
    cut = await llm.ainvoke([HumanMessage("Count from one to twenty in words.")])
    assert cut.response_metadata["done_reason"] == "length"
    assert cut.usage_metadata is not None
    assert cut.usage_metadata["output_tokens"] == 4
    assert cut.usage_metadata["input_tokens"] > 5


async def test_a_cut_off_answer_is_retried_then_given_up(
    model_bridge: BridgeProcess, caplog: pytest.LogCaptureFixture
) -> None:
    # 12 tokens cannot hold a Spans object: every attempt stops at the limit
    backend = _backend(model_bridge, num_predict=12)
    with (
        caplog.at_level(logging.INFO, logger="skills.understanding.ollama"),
        pytest.raises(UnderstandingUnavailable, match="cut off"),
    ):
        await backend.understand("buy milk tomorrow", CTX)
    retries = [r for r in caplog.records if "retrying" in r.getMessage()]
    assert len(retries) == backend.attempts - 1 == 2
    assert all("done_reason='length'" in r.getMessage() for r in retries)


async def test_an_unknown_model_name_is_a_clear_error(model_bridge: BridgeProcess) -> None:
    backend = make_understander(
        "ollama", ollama_base_url=model_bridge.url, ollama_model="llama3:70b"
    )
    started = wall.monotonic()
    with pytest.raises(UnderstandingUnavailable) as caught:
        await backend.understand("buy milk", CTX)
    assert str(caught.value) == (
        f"the language model 'llama3:70b' at {model_bridge.url} does not exist: "
        'model "llama3:70b" not found, try pulling it first'
    )
    assert wall.monotonic() - started < 1.0  # not retried


async def _chat(client: httpx.AsyncClient, user: Any, message: str) -> tuple[dict, float]:
    started = wall.monotonic()
    r = await user.request("POST", "/v1/chat", json={"message": message})
    assert r.status_code == 200, r.text
    return r.json(), wall.monotonic() - started


async def _titles(user: Any) -> list[str]:
    return sorted(t["title"] for t in (await user.request("GET", "/v1/tasks")).json()["items"])


async def test_the_chat_answers_with_the_rules_when_the_model_is_slow(
    model_bridge: BridgeProcess, settings: Settings
) -> None:
    """No CPU model writes a Spans answer in 0.3 s: the budget runs out, the rules answer."""
    budget = 0.3
    slow = settings.model_copy(
        update={
            "nlu_backend": "ollama",
            "ollama_base_url": model_bridge.url,
            "ollama_model": MODEL,
            "ollama_budget_seconds": budget,
        }
    )
    async with serve_api(slow) as base, httpx.AsyncClient(base_url=base, timeout=60) as client:
        user = await register(client)
        reply, seconds = await _chat(client, user, "add buy milk")
        assert reply["actions"][0]["action"] == "created"
        assert await _titles(user) == ["buy milk"]
        assert seconds < budget + 1.0, f"{seconds:.2f} s"


async def test_the_chat_answers_with_the_rules_when_the_model_dies_mid_answer(
    settings: Settings,
) -> None:
    """A second bridge, killed while it is reading the prompt: the request in flight is cut,
    the retry finds nothing listening, the rules answer at once."""
    doomed = ollama_bridge.start()
    try:
        llm = settings.model_copy(
            update={
                "nlu_backend": "ollama",
                "ollama_base_url": doomed.url,
                "ollama_model": MODEL,
                "ollama_budget_seconds": ANSWER_BUDGET,
            }
        )
        async with (
            serve_api(llm) as base,
            httpx.AsyncClient(base_url=base, timeout=60) as client,
        ):
            user = await register(client)
            turn = asyncio.create_task(_chat(client, user, "add call mom"))
            await asyncio.sleep(1.0)
            assert not turn.done()  # the model is still at it
            await asyncio.to_thread(doomed.kill)
            killed = wall.monotonic()
            reply, _ = await turn
            after_kill = wall.monotonic() - killed
            assert reply["actions"][0]["action"] == "created"
            assert await _titles(user) == ["call mom"]
            assert after_kill < 1.0, f"{after_kill:.2f} s after the model died"
    finally:
        doomed.stop()


def test_the_bridge_counts_the_idle_cores_and_is_told_its_answer_threads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ollama_bridge.THREADS_ENV, "3")
    assert ollama_bridge.answer_threads(default=2) == 3
    monkeypatch.delenv(ollama_bridge.THREADS_ENV)
    assert ollama_bridge.answer_threads(default=2) == 2
    # Two samples of /proc/stat: one core idle all the time, the other busy all the time.
    samples = iter([(0, 0), (100, 200)])
    monkeypatch.setattr(ollama_bridge, "_cpu_times", lambda: next(samples))
    monkeypatch.setattr(ollama_bridge.os, "cpu_count", lambda: 2)
    assert ollama_bridge.idle_cores(sample_seconds=0) == 1
    samples = iter([(0, 0), (195, 200)])
    assert ollama_bridge.idle_cores(sample_seconds=0) == 2
