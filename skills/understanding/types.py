"""The contract of language understanding: what any backend (rules or LLM) must return.

Every backend fills these models; the skills, the graph and the eval suite read only these.
Dates and times are *local* to the user (wall-clock in their IANA zone); converting to UTC is the
domain's job, so the same understanding stays right when a DST change falls in between.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

# "ur-Latn" is Urdu typed in Latin letters (Roman Urdu), as most people in Pakistan chat
Language = Literal["en", "ur", "ur-Latn"]


class Intent(StrEnum):
    CREATE_TASK = "create_task"
    UPDATE_TASK = "update_task"
    COMPLETE_TASK = "complete_task"
    REOPEN_TASK = "reopen_task"
    DELETE_TASK = "delete_task"
    QUERY_TASKS = "query_tasks"
    SET_REMINDER = "set_reminder"
    HELP = "help"
    UNKNOWN = "unknown"


class ParseContext(BaseModel):
    """What a parser needs besides the text: the reference time, zone and language."""

    model_config = ConfigDict(frozen=True)

    now: datetime = Field(description="Reference instant, time-zone aware")
    timezone: str = Field(default="UTC", description="IANA zone of the user")
    locale: Language = "en"

    @field_validator("now")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("now must be time-zone aware")
        return value


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TaskFields(_Spec):
    """Fields of a task as said by the user. For an update, only what should change is set."""

    title: str | None = None
    notes: str | None = None
    priority: int | None = Field(default=None, ge=1, le=4, description="1 = most urgent")
    tags: list[str] = Field(default_factory=list, description="lower-case, without '#'")
    due_date: date | None = Field(default=None, description="local date")
    due_time: time | None = Field(default=None, description="local time; None = all day")
    shift_minutes: int | None = Field(
        default=None,
        description="update only: move the current due moment by this much ('postpone it by 2 "
        "days' = 2880; negative brings it forward)",
    )


class ReminderSpec(_Spec):
    """Either an absolute local moment or an offset before the task's due time."""

    at_date: date | None = None
    at_time: time | None = None
    offset_minutes: int | None = Field(default=None, ge=0, description="minutes before due")


class RecurrenceSpec(_Spec):
    """An RFC 5545 recurrence; `dtstart` is the first occurrence in local wall-clock time."""

    rrule: str = Field(
        description="RRULE body without the 'RRULE:' prefix, e.g. FREQ=WEEKLY;BYDAY=SU"
    )
    dtstart: datetime = Field(description="naive local date-time of the first occurrence")
    phrase: str = Field(default="", description="the words the rule was read from")


class TaskRef(_Spec):
    """How the user pointed at existing task(s)."""

    text: str | None = Field(default=None, description="words naming the task, e.g. 'buy milk'")
    pronoun: bool = Field(
        default=False, description="'it', 'that', 'اسے': the task last talked about"
    )
    all_tasks: bool = Field(default=False, description="bulk: 'all my tasks', 'سارے کام'")


class QuerySpec(_Spec):
    status: Literal["open", "done", "all"] = "open"
    tag: str | None = None
    priority: int | None = Field(default=None, ge=1, le=4)
    due_from: date | None = None
    due_to: date | None = None
    text: str | None = None


class Understanding(_Spec):
    """One message, understood."""

    intent: Intent
    confidence: float = Field(ge=0.0, le=1.0)
    language: Language
    task: TaskFields = Field(default_factory=TaskFields)
    target: TaskRef | None = None
    reminder: ReminderSpec | None = None
    recurrence: RecurrenceSpec | None = None
    query: QuerySpec | None = None
    missing: list[str] = Field(
        default_factory=list,
        description="required fields the message did not give (e.g. 'title', 'target', 'when')",
    )


class Understander(Protocol):
    """One interface, two backends (`rules`, `ollama`)."""

    async def understand(self, text: str, ctx: ParseContext) -> Understanding: ...
