"""Choose a backend by name; the LLM backend (and langchain) is imported only when asked for."""

from __future__ import annotations

from .rules import RulesUnderstander
from .types import Understander

BACKENDS = ("rules", "ollama")
DEFAULT_OLLAMA_MODEL = "qwen2.5:7b-instruct"
DEFAULT_OLLAMA_BUDGET_SECONDS = 20.0


def make_understander(
    backend: str,
    *,
    ollama_base_url: str | None = None,
    ollama_model: str = DEFAULT_OLLAMA_MODEL,
    ollama_budget_seconds: float = DEFAULT_OLLAMA_BUDGET_SECONDS,
) -> Understander:
    """The rules backend needs nothing; the ollama backend needs its base URL.

    `ollama_budget_seconds` is the most one message may spend on the model, retries included;
    no single request may outlast it either.
    """
    name = backend.strip().lower()
    if name == "rules":
        return RulesUnderstander()
    if name == "ollama":
        if not ollama_base_url:
            raise ValueError("the ollama backend needs ollama_base_url")
        if not ollama_model.strip():
            raise ValueError("the ollama backend needs a model name")
        if ollama_budget_seconds <= 0:
            raise ValueError("ollama_budget_seconds must be positive")
        from .ollama import OllamaUnderstander

        return OllamaUnderstander(
            base_url=ollama_base_url,
            model=ollama_model,
            timeout_seconds=ollama_budget_seconds,
            budget_seconds=ollama_budget_seconds,
        )
    raise ValueError(f"unknown understanding backend {backend!r}; choose one of {BACKENDS}")
