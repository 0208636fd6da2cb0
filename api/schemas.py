"""The API's own request and response shapes, converted to and from the domain's models.

The API speaks the user's wall clock: a due time without an offset, or a bare date (all day),
is read in the user's time zone; responses carry both the UTC instant and the local time.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

import pendulum
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, EmailStr, Field, HttpUrl, model_validator

from domain.models import (
    OUT_OF_RANGE,
    Channel,
    Locale,
    Notes,
    Priority,
    Recurrence,
    Reminder,
    RRule,
    Tags,
    Task,
    TaskCreate,
    TaskPatch,
    TimeZoneName,
    Title,
    UserPatch,
    all_day_due,
    utc_instant,
)
from domain.timezones import zone

Loc = tuple[str | int, ...]
"""Where a value came from, as pydantic reports it, e.g. ("body", "reminders", 0, "at")."""


def invalid_input(loc: Loc, message: str) -> RequestValidationError:
    """A 422 about one field, for rules that can only be checked once the user is known."""
    return RequestValidationError([{"type": "value_error", "loc": loc, "msg": message}])


class RegisterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    password: str = Field(min_length=8, max_length=200)
    timezone: TimeZoneName = "UTC"
    locale: Locale = "en"


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    password: str = Field(min_length=1, max_length=200)


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    user_id: uuid.UUID


class UserOut(BaseModel):
    id: uuid.UUID
    email: str
    timezone: str
    locale: str
    reminder_channels: list[Channel]
    webhook_url: str | None = None


class UserPatchIn(BaseModel):
    """Your settings: time zone (IANA name), language of replies, where reminders go."""

    model_config = ConfigDict(extra="forbid")

    timezone: TimeZoneName | None = None
    locale: Locale | None = None
    reminder_channels: list[Channel] | None = Field(
        default=None, min_length=1, max_length=3, description="email, webhook, in_app"
    )
    webhook_url: HttpUrl | None = Field(default=None, description="POSTed each reminder as JSON")

    @model_validator(mode="after")
    def _only_the_webhook_can_be_cleared(self) -> UserPatchIn:
        for name in ("timezone", "locale", "reminder_channels"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null; leave it out to keep it as it is")
        return self

    def to_domain(self) -> UserPatch:
        values = self.model_dump(include=self.model_fields_set)
        if self.webhook_url is not None:
            values["webhook_url"] = str(self.webhook_url)
        if self.reminder_channels is not None:
            values["reminder_channels"] = list(dict.fromkeys(self.reminder_channels))
        return UserPatch(**values)


class ReminderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    at: datetime | None = Field(default=None, description="absolute; no offset = user's zone")
    offset_minutes: int | None = Field(default=None, ge=0, description="minutes before due")


class RecurrenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rrule: RRule = Field(description="RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=SU", max_length=500)


class _DueFields(BaseModel):
    due: datetime | None = Field(default=None, description="date-time; no offset = user's zone")
    due_date: date | None = Field(default=None, description="an all-day due date")

    @model_validator(mode="after")
    def _one_due(self) -> _DueFields:
        if self.due is not None and self.due_date is not None:
            raise ValueError("give either 'due' (a date-time) or 'due_date' (all day), not both")
        return self


def to_utc(value: datetime | date, tz: str, loc: Loc) -> datetime:
    """The UTC instant of a date-time (no offset = the wall clock in `tz`) or of a date's local
    midnight. Out of the range a task can hold, it is a 422 naming `loc`, not an overflow."""
    try:
        if not isinstance(value, datetime):
            return all_day_due(value, tz)
        if value.tzinfo is None:
            value = pendulum.instance(value, tz=zone(tz))
        return utc_instant(value)
    except OverflowError as exc:
        raise invalid_input(loc, OUT_OF_RANGE) from exc
    except ValueError as exc:
        raise invalid_input(loc, str(exc)) from exc


def _due(fields: _DueFields, tz: str) -> tuple[datetime | None, bool]:
    if fields.due_date is not None:
        return to_utc(fields.due_date, tz, ("body", "due_date")), True
    if fields.due is not None:
        return to_utc(fields.due, tz, ("body", "due")), False
    return None, False


def _reminders(items: list[ReminderIn], tz: str) -> list[Reminder]:
    return [
        Reminder(
            at=to_utc(r.at, tz, ("body", "reminders", i, "at")) if r.at else None,
            offset_minutes=r.offset_minutes,
        )
        for i, r in enumerate(items)
    ]


class TaskIn(_DueFields):
    model_config = ConfigDict(extra="forbid")

    title: Title
    notes: Notes | None = None
    priority: Priority = 4
    tags: Tags = Field(default_factory=list)
    reminders: list[ReminderIn] = Field(default_factory=list, max_length=10)
    recurrence: RecurrenceIn | None = None

    def to_domain(self, tz: str) -> TaskCreate:
        due, all_day = _due(self, tz)
        return TaskCreate(
            title=self.title,
            notes=self.notes,
            priority=self.priority,
            tags=self.tags,
            due=due,
            all_day=all_day,
            reminders=_reminders(self.reminders, tz),
            recurrence=Recurrence(rrule=self.recurrence.rrule) if self.recurrence else None,
        )


class TaskPatchIn(_DueFields):
    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    notes: Notes | None = None
    priority: Priority | None = None
    tags: Tags | None = None
    reminders: list[ReminderIn] | None = Field(default=None, max_length=10)
    recurrence: RecurrenceIn | None = None
    version: int | None = Field(default=None, description="or send If-Match")

    def to_domain(self, tz: str) -> TaskPatch:
        given = self.model_fields_set - {"version"}
        values: dict[str, object] = {}
        for name in given - {"due", "due_date", "reminders", "recurrence"}:
            values[name] = getattr(self, name)
        if given & {"due", "due_date"}:
            values["due"], values["all_day"] = _due(self, tz)
        if "reminders" in given:
            values["reminders"] = _reminders(self.reminders or [], tz)
        if "recurrence" in given:
            values["recurrence"] = (
                Recurrence(rrule=self.recurrence.rrule) if self.recurrence else None
            )
        return TaskPatch.model_validate(values)


class TaskOut(BaseModel):
    id: uuid.UUID
    title: str
    notes: str | None
    status: str
    priority: int
    tags: list[str]
    due: datetime | None
    due_local: str | None = Field(description="due in the user's zone (ISO 8601)")
    all_day: bool
    reminders: list[Reminder]
    recurrence: Recurrence | None
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    version: int

    @classmethod
    def of(cls, task: Task, tz: str) -> TaskOut:
        # The stdlib's conversion of the stored UTC instant, not `task.local_due` (pendulum's
        # instance() and in_timezone() build two pendulum objects): the same local time, and
        # every task answered pays it.
        local = None if task.due is None else task.due.astimezone(zone(tz))
        due_local = None
        if local is not None:
            due_local = local.date().isoformat() if task.all_day else local.isoformat()
        # The task is the domain's, validated on its way in: no second validation on the way out.
        fields = {name: getattr(task, name) for name in _FROM_TASK}
        return cls.model_construct(**fields, due_local=due_local)


_FROM_TASK = tuple(name for name in TaskOut.model_fields if name != "due_local")


class TaskPageOut(BaseModel):
    items: list[TaskOut]
    next_cursor: str | None
