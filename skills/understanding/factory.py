"""Choose a backend by name; the LLM backend (and langchain) is imported only when asked for."""

from __future__ import annotations

from .rules import RulesUnderstander
from .types import Understander

BACKENDS = ("rules", "ollama")
DEFAULT_OLLAMA_MODEL = "qwen2.5:7b-instruct"


def make_understander(
    backend: str,
    *,
    ollama_base_url: str | None = None,
    ollama_model: str = DEFAULT_OLLAMA_MODEL,
) -> Understander:
    """The rules backend needs nothing; the ollama backend needs its base URL."""
    name = backend.strip().lower()
    if name == "rules":
        return RulesUnderstander()
    if name == "ollama":
        if not ollama_base_url:
            raise ValueError("the ollama backend needs ollama_base_url")
        from .ollama import OllamaUnderstander

        return OllamaUnderstander(base_url=ollama_base_url, model=ollama_model)
    raise ValueError(f"unknown understanding backend {backend!r}; choose one of {BACKENDS}")
