"""The LLM backend: a local model (through langchain-ollama) labels spans, our code resolves them.

The model never does date arithmetic. It returns the exact words for the date, time, recurrence,
reminder and priority (structured output constrained by a JSON schema), and the same resolvers
the rules backend uses turn them into dates and RRULEs with the given now and zone, so both
backends agree on every date.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

import httpx
from langchain_core.exceptions import OutputParserException
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.runnables import Runnable
from langchain_ollama import ChatOllama
from ollama import ResponseError
from pydantic import BaseModel, Field, ValidationError
from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from .assemble import assemble
from .errors import UnderstandingUnavailable
from .prompts import understanding_prompt
from .spans import parts_from_spans
from .types import ParseContext, Understanding

log = logging.getLogger(__name__)

IntentName = Literal[
    "create_task",
    "update_task",
    "complete_task",
    "reopen_task",
    "delete_task",
    "query_tasks",
    "set_reminder",
    "help",
    "unknown",
]


class Spans(BaseModel):
    """What the model returns: labels and verbatim phrases, never computed values.

    Flat and string-typed on purpose: small local models follow a flat schema best, and Ollama
    turns it into a grammar that constrains decoding.
    """

    intent: IntentName
    confidence: float = Field(ge=0.0, le=1.0)
    title: str | None = Field(default=None, description="task title, verbatim")
    new_title: str | None = Field(default=None, description="rename only: the new title")
    target: str | None = Field(default=None, description="words naming an existing task")
    target_is_pronoun: bool = Field(default=False, description="'it', 'that', 'اسے'")
    all_tasks: bool = Field(default=False, description="'all my tasks', 'سارے کام'")
    date_phrase: str | None = Field(default=None, description="words giving the day, verbatim")
    time_phrase: str | None = Field(default=None, description="words giving the time, verbatim")
    recurrence_phrase: str | None = Field(default=None, description="how it repeats, verbatim")
    reminder_phrase: str | None = Field(default=None, description="offset or moment, verbatim")
    remind_at_due: bool = Field(default=False, description="'remind me to X <when>'")
    priority_phrase: str | None = Field(default=None, description="'p1', 'urgent', 'فوری'")
    tags: list[str] = Field(default_factory=list, description="#tags without '#'")
    notes: str | None = None
    query_status: Literal["open", "done", "all"] | None = None
    query_text: str | None = Field(default=None, description="words to search task titles for")


def _retryable(exc: BaseException) -> bool:
    """Server trouble and garbled output are worth another try; a 4xx (no such model) is not."""
    if isinstance(exc, ResponseError):
        return exc.status_code < 0 or exc.status_code == 429 or exc.status_code >= 500
    transient = (httpx.TransportError, ConnectionError, TimeoutError)
    return isinstance(exc, (*transient, OutputParserException, ValidationError))


class OllamaUnderstander:
    """Same interface as RulesUnderstander; raises UnderstandingUnavailable when it can't answer."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        attempts: int = 3,
        backoff_seconds: float = 0.5,
        timeout_seconds: float = 30.0,
        chat_model: Runnable[Any, Any] | None = None,
    ) -> None:
        self.model = model
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds
        llm = ChatOllama(
            base_url=base_url,
            model=model,
            temperature=0,
            client_kwargs={"timeout": timeout_seconds},
        )
        self._chain = chat_model or llm.with_structured_output(Spans, method="json_schema")

    async def label(self, text: str, ctx: ParseContext) -> Spans:
        """Ask the model for the spans, with bounded retries."""
        messages = [
            SystemMessage(understanding_prompt()),
            HumanMessage(
                f"Reference time: {ctx.now.isoformat()} ({ctx.timezone}).\nMessage: {text}"
            ),
        ]
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.attempts),
            wait=wait_exponential(multiplier=self.backoff_seconds, max=4),
            retry=retry_if_exception(_retryable),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    result = await self._chain.ainvoke(messages)
                    return result if isinstance(result, Spans) else Spans.model_validate(result)
        except Exception as exc:  # any failure after the retries means: no understanding
            log.warning("ollama understanding failed after retries: %r", exc)
            raise UnderstandingUnavailable(
                f"the language model ({self.model}) is unavailable: {exc}",
                backend="ollama",
                attempts=self.attempts,
            ) from exc
        raise UnderstandingUnavailable("no attempt was made", attempts=0)  # pragma: no cover

    async def understand(self, text: str, ctx: ParseContext) -> Understanding:
        return assemble(parts_from_spans(await self.label(text, ctx), text, ctx))
