"""Choose a backend by name; the LLM backend (and langchain) is imported only when asked for."""

from __future__ import annotations

from .rules import RulesUnderstander
from .types import Understander

BACKENDS = ("rules", "ollama")


def make_understander(backend: str, *, ollama_base_url: str, ollama_model: str) -> Understander:
    name = backend.strip().lower()
    if name == "rules":
        return RulesUnderstander()
    if name == "ollama":
        from .ollama import OllamaUnderstander

        return OllamaUnderstander(base_url=ollama_base_url, model=ollama_model)
    raise ValueError(f"unknown understanding backend {backend!r}; choose one of {BACKENDS}")
