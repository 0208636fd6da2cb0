"""What a turn decides, as types: a plan to execute, a question to ask, or an answer to give.

The decide step produces exactly one `Decision`; the act step runs a `Plan` with the handler of
its kind; the clarify step interrupts with a `Question`. They travel through the graph's state as
JSON (checkpoints stay plain data) and are read back with `decision_of`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from skills.understanding import RecurrenceSpec, TaskFields


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TaskSnapshot(BaseModel):
    """A task as the tools return it; the fields a decision reads are typed, the rest kept."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: str
    title: str
    status: str = "open"
    due: str | None = None
    all_day: bool = False
    recurrence: dict[str, Any] | None = None

    def view(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


# -- plans: one handler each (graph/act.py) ---------------------------------------------------


class ListTasks(_Model):
    kind: Literal["list"] = "list"
    args: dict[str, Any]  # list_tasks arguments, already in the tool's terms
    # "what did I finish today?": the days are when the tasks were done, not when due
    done_from: date | None = None
    done_to: date | None = None


class CreateTask(_Model):
    kind: Literal["create"] = "create"
    fields: TaskFields
    rrule: str | None = None
    rule_phrase: str = ""
    upcoming: list[datetime] = Field(default_factory=list)  # the series' next occurrences
    reminder_offsets: list[int] = Field(default_factory=list)
    remind_at: datetime | None = None


class UpdateTask(_Model):
    kind: Literal["update"] = "update"
    task: TaskSnapshot
    fields: TaskFields
    rrule: str | None = None
    remind_at: datetime | None = None
    remind_offset: int | None = None
    undo: bool = False  # puts back what the conversation's last change replaced


class SetReminder(_Model):
    kind: Literal["set_reminder"] = "set_reminder"
    task: TaskSnapshot
    at: datetime | None = None
    offset_minutes: int | None = None
    # "every monday at 9": the task repeats on this rule, reminded at each occurrence.
    recurrence: RecurrenceSpec | None = None
    moments: list[datetime] = Field(default_factory=list)


class ChangeStatus(_Model):
    kind: Literal["complete", "reopen", "delete"]
    task: TaskSnapshot


class BulkChange(_Model):
    kind: Literal["complete_many", "delete_many"]
    task_ids: list[str]


Plan = Annotated[
    ListTasks | CreateTask | UpdateTask | SetReminder | ChangeStatus | BulkChange,
    Field(discriminator="kind"),
]
PLAN_TYPES = (ListTasks, CreateTask, UpdateTask, SetReminder, ChangeStatus, BulkChange)

# -- questions: the clarify step's interrupt --------------------------------------------------


class AskTitle(_Model):
    kind: Literal["title"] = "title"


class AskWhen(_Model):
    kind: Literal["when"] = "when"
    task: TaskSnapshot | None = None  # the reminder's task, when it is known already
    no_due: bool = False  # asked because an offset needs a due time the task does not have


class AskTarget(_Model):
    kind: Literal["target"] = "target"
    lost_track: bool = False  # "it" said, but no task was talked about (or it is gone)


class AskChanges(_Model):
    kind: Literal["changes"] = "changes"
    task: TaskSnapshot


class AskWhich(_Model):
    kind: Literal["which"] = "which"
    candidates: list[TaskSnapshot]


class AskScope(_Model):
    """A repeating task moved: just this occurrence, or the whole series?"""

    kind: Literal["scope"] = "scope"
    this_one: UpdateTask
    every_one: UpdateTask


class Confirm(_Model):
    kind: Literal["confirm"] = "confirm"
    plan: Plan


Question = Annotated[
    AskTitle | AskWhen | AskTarget | AskChanges | AskWhich | AskScope | Confirm,
    Field(discriminator="kind"),
]
QUESTION_TYPES = (AskTitle, AskWhen, AskTarget, AskChanges, AskWhich, AskScope, Confirm)

# -- answers: said, nothing done --------------------------------------------------------------


class Answer(_Model):
    kind: Literal["answer"] = "answer"
    code: str  # a message code of graph/replies.py
    values: dict[str, str] = Field(default_factory=dict)
    outcome: Literal["answered", "rejected"] = "answered"


Decision = Annotated[
    ListTasks | CreateTask | UpdateTask | SetReminder | ChangeStatus | BulkChange
    | AskTitle | AskWhen | AskTarget | AskChanges | AskWhich | AskScope | Confirm | Answer,
    Field(discriminator="kind"),
]  # fmt: skip

_DECISION: TypeAdapter[Any] = TypeAdapter(Decision)


def decision_of(data: dict[str, Any] | None) -> Any:
    """The decision stored in state, typed again (None when nothing is decided yet)."""
    return None if data is None else _DECISION.validate_python(data)


def is_plan(decision: object) -> bool:
    return isinstance(decision, PLAN_TYPES)


def is_question(decision: object) -> bool:
    return isinstance(decision, QUESTION_TYPES)
