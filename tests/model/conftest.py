"""A real model for the smoke tests: SmolLM2-135M-Instruct behind evals/ollama_bridge.py, one
child process for the session, started here (no hand set-up; ./run installs the weights)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from evals import ollama_bridge


@pytest.fixture(scope="session")
def model_bridge() -> Iterator[ollama_bridge.BridgeProcess]:
    with ollama_bridge.running() as bridge:
        yield bridge
