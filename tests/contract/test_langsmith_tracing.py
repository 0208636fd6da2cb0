"""Contract: with LANGSMITH_TRACING on, a chat turn is traced to the LangSmith endpoint, named and
tagged so it can be found by conversation and by request. The endpoint is a local stand-in that
records what the langsmith client sends over HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = pytest.mark.contract

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def langsmith() -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
    received: list[tuple[str, bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, body: bytes = b"{}") -> None:
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            received.append((self.path, self.rfile.read(length)))
            self._answer()

        def do_PATCH(self) -> None:
            self.do_POST()

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()


def test_a_chat_turn_is_traced_with_its_conversation_and_correlation_id(
    database_url: str, langsmith: tuple[str, list[tuple[str, bytes]]]
) -> None:
    endpoint, received = langsmith
    env = {
        **os.environ,
        "LANGSMITH_TRACING": "true",
        "LANGSMITH_ENDPOINT": endpoint,
        "LANGSMITH_API_KEY": "test-key",
        "LANGSMITH_PROJECT": "todo-agent-contract",
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.contract.langsmith_turn", database_url, "corr-trace-1"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    conversation_id = done.stdout.strip().splitlines()[-1]
    runs = b"".join(body for path, body in received if path.startswith("/runs"))
    assert b"chat_turn" in runs  # the turn's root run
    assert conversation_id.encode() in runs
    assert b"corr-trace-1" in runs
    assert b"todo-agent-contract" in runs
    for node in (b"understand", b"task_skill", b"decide", b"act", b"audit"):
        assert node in runs, node
