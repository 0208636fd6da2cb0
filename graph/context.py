"""Per-run settings, passed as LangGraph runtime context (never globals)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal


@dataclass(kw_only=True)
class Context:
    user_id: str
    timezone: str = "UTC"
    locale: Literal["en", "ur", "ur-Latn"] = "en"
    now: datetime | None = None  # injectable clock: tests and evals pin it
    conversation_id: str = ""
    correlation_id: str | None = None
    nlu_backend: Literal["rules", "ollama"] = "rules"
    ollama_model: str = "qwen2.5:7b-instruct"
    ollama_base_url: str = "http://127.0.0.1:11434"
    clarify_threshold: float = 0.6

    def clock(self) -> datetime:
        return self.now if self.now is not None else datetime.now(UTC)
