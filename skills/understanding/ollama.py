"""The LLM backend: a local model (through langchain-ollama) labels spans, our code resolves them.

The model never does date arithmetic. It returns the exact words for the date, time, recurrence,
reminder and priority (structured output constrained by a JSON schema), and the same resolvers
the rules backend uses turn them into dates and RRULEs with the given now and zone, so both
backends agree on every date.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated, Any, Literal

import httpx
from langchain_core.exceptions import OutputParserException
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
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

# Bounds of the schema. Ollama turns them into the decoding grammar, so a model that starts to
# loop (a small one repeats `tags` until the token limit) is cut off at the bound instead of
# running to num_predict; a small model also tends to fill every string to its bound, so they
# are as tight as a real chat command allows.
PHRASE_CHARS = 40  # a date, time, recurrence, reminder or priority phrase
TEXT_CHARS = 80  # a title, a task reference, a search
NOTES_CHARS = 120
MAX_TAGS = 5
TAG_CHARS = 24
NUM_PREDICT = 512
RETRY_TEMPERATURE = 0.4  # at temperature 0 a retry would loop exactly as the first attempt did
RETRY_SEED = 7  # ...and a fixed seed keeps the retry reproducible

Phrase = Annotated[str, Field(max_length=PHRASE_CHARS)]
Text = Annotated[str, Field(max_length=TEXT_CHARS)]
Tag = Annotated[str, Field(max_length=TAG_CHARS)]


class Spans(BaseModel):
    """What the model returns: labels and verbatim phrases, never computed values.

    Flat and string-typed on purpose: small local models follow a flat schema best, and Ollama
    turns it into a grammar that constrains decoding. Every string and list is bounded.
    """

    intent: IntentName
    confidence: float = Field(ge=0.0, le=1.0)
    title: Text | None = Field(default=None, description="task title, verbatim")
    new_title: Text | None = Field(default=None, description="rename only: the new title")
    target: Text | None = Field(default=None, description="words naming an existing task")
    target_is_pronoun: bool = Field(default=False, description="'it', 'that', 'اسے'")
    all_tasks: bool = Field(default=False, description="'all my tasks', 'سارے کام'")
    date_phrase: Phrase | None = Field(default=None, description="words giving the day, verbatim")
    time_phrase: Phrase | None = Field(default=None, description="words giving the time, verbatim")
    recurrence_phrase: Phrase | None = Field(default=None, description="how it repeats, verbatim")
    reminder_phrase: Phrase | None = Field(default=None, description="offset or moment, verbatim")
    remind_at_due: bool = Field(default=False, description="'remind me to X <when>'")
    priority_phrase: Phrase | None = Field(default=None, description="'p1', 'urgent', 'فوری'")
    tags: list[Tag] = Field(
        default_factory=list, max_length=MAX_TAGS, description="#tags without '#'"
    )
    notes: Annotated[str, Field(max_length=NOTES_CHARS)] | None = None
    query_status: Literal["open", "done", "all"] | None = None
    query_text: Text | None = Field(default=None, description="words to search task titles for")


class TruncatedAnswer(OutputParserException):
    """The model stopped before finishing its answer (token limit, a dropped stream).

    Never parsed: langchain's JSON parser would quietly close the cut-off JSON and the reading
    would be acted on as if complete.
    """


def read_answer(message: BaseMessage) -> Spans:
    """The model's answer, only if it finished: done_reason "stop" and strict, complete JSON."""
    reason = message.response_metadata.get("done_reason")
    if reason != "stop":
        tokens = message.response_metadata.get("eval_count")
        raise TruncatedAnswer(f"the answer was cut off (done_reason={reason!r}, {tokens} tokens)")
    return Spans.model_validate_json(message.text)


def _retryable(exc: BaseException) -> bool:
    """Server trouble and garbled or cut-off output are worth another try. A 4xx (no such model)
    is not, nor a refused connection: nothing listens there, and the user is better served by
    the rules backend now than by a retry in a second."""
    if isinstance(exc, ResponseError):
        return exc.status_code < 0 or exc.status_code == 429 or exc.status_code >= 500
    if isinstance(exc, (httpx.ConnectError, ConnectionError)):  # the client wraps it as the latter
        return False
    transient = (httpx.TransportError, TimeoutError)
    return isinstance(exc, (*transient, OutputParserException, ValidationError))


class OllamaUnderstander:
    """Same interface as RulesUnderstander; raises UnderstandingUnavailable when it can't answer.

    `budget_seconds` bounds the whole message, every attempt included: past it the graph answers
    with the rules backend rather than keep the user waiting on a slow model.
    """

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        attempts: int = 3,
        backoff_seconds: float = 0.25,
        timeout_seconds: float = 30.0,
        budget_seconds: float | None = None,
        num_predict: int = NUM_PREDICT,
        chat_model: Runnable[Any, BaseMessage] | None = None,
    ) -> None:
        self.model = model
        self.base_url = base_url
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds
        self.budget_seconds = budget_seconds
        llm = ChatOllama(
            base_url=base_url,
            model=model,
            temperature=0,
            num_predict=num_predict,
            client_kwargs={"timeout": timeout_seconds},
        )
        schema = Spans.model_json_schema()
        # The schema goes out as Ollama's `format` (constrained decoding); the answer is read by
        # read_answer, not by langchain's lenient parser. The tracing hint is what
        # with_structured_output would attach, so LangSmith still shows the schema.
        bound = {
            "format": schema,
            "ls_structured_output_format": {"kwargs": {"method": "json_schema"}, "schema": Spans},
        }
        retry_options = {
            "temperature": RETRY_TEMPERATURE,
            "seed": RETRY_SEED,
            "num_predict": num_predict,
        }
        self._first: Runnable[Any, BaseMessage] = chat_model or llm.bind(**bound)
        self._retry: Runnable[Any, BaseMessage] = chat_model or llm.bind(
            **bound, options=retry_options
        )

    async def label(self, text: str, ctx: ParseContext) -> Spans:
        """Ask the model for the spans, with bounded retries inside the time budget."""
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
            before_sleep=lambda state: log.info(
                "ollama attempt %d failed, retrying: %r",
                state.attempt_number,
                state.outcome.exception() if state.outcome else None,
            ),
            reraise=True,
        )
        try:
            async with asyncio.timeout(self.budget_seconds):
                async for attempt in retrying:
                    with attempt:
                        first = attempt.retry_state.attempt_number == 1
                        chain = self._first if first else self._retry
                        return read_answer(await chain.ainvoke(messages))
        except Exception as exc:  # any failure after the retries means: no understanding
            reason = "took too long" if isinstance(exc, TimeoutError) else repr(exc)
            log.warning("ollama understanding failed after retries: %s", reason)
            raise UnderstandingUnavailable(
                self._explain(exc), backend="ollama", attempts=self.attempts
            ) from exc
        raise UnderstandingUnavailable("no attempt was made", attempts=0)  # pragma: no cover

    def _explain(self, exc: BaseException) -> str:
        where = f"the language model {self.model!r} at {self.base_url}"
        if isinstance(exc, ResponseError) and exc.status_code == 404:
            return f"{where} does not exist: {exc.error}"
        if isinstance(exc, TimeoutError) and self.budget_seconds is not None:
            return f"{where} did not answer within {self.budget_seconds} s"
        return f"{where} is unavailable: {exc}"

    async def understand(self, text: str, ctx: ParseContext) -> Understanding:
        return assemble(parts_from_spans(await self.label(text, ctx), text, ctx))
