"""The task model. Times are stored in UTC and computed in the user's zone with pendulum."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pendulum
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    field_validator,
    model_validator,
)

from domain.recurrence import InvalidRecurrence, validate_rrule
from domain.timezones import UTC as PENDULUM_UTC
from domain.timezones import zone

# "ur-Latn": Urdu in Latin letters (Roman Urdu), with its own replies and Latin layout.
Locale = Literal["en", "ur", "ur-Latn"]
MAX_TITLE = 500
MAX_NOTES = 10_000
MAX_TAGS = 20

# The instants a task may hold. Python's datetime ends at year 9999, so an instant near either end
# cannot be shown in every zone (up to ±14 h) or moved back by a reminder's offset (up to a year)
# without overflowing; these bounds leave that room and are round enough to state in an error.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 12, 31, tzinfo=UTC)  # exclusive
OUT_OF_RANGE = "must be between 1900-01-01 and 9999-12-30 (UTC)"
NUL_MESSAGE = "must not contain the NUL character (\\u0000)"


class Status(StrEnum):
    OPEN = "open"
    DONE = "done"


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"'{value}' is not an IANA time zone (e.g. 'Asia/Karachi')") from exc
    return value


def utc_instant(value: datetime) -> datetime:
    """The UTC instant of an aware date-time; ValueError if it has no offset or is out of range."""
    if value.tzinfo is None:
        raise ValueError("a date-time needs a UTC offset, e.g. 2026-11-25T17:00:00+05:00")
    try:
        utc = value.astimezone(UTC)
    except OverflowError as exc:  # e.g. 9999-12-31T23:00-05:00 is in year 10000 in UTC
        raise ValueError(OUT_OF_RANGE) from exc
    if not EARLIEST <= utc < LATEST:
        raise ValueError(OUT_OF_RANGE)
    # A plain datetime, not pendulum's subclass: asyncpg encodes it by subtraction, which
    # pendulum makes ten times slower (it builds an Interval).
    return datetime(*utc.timetuple()[:6], utc.microsecond, tzinfo=UTC)


def no_nul(value: str) -> str:
    # Postgres text and jsonb cannot store U+0000: refuse it here, with a reason, not at INSERT.
    if "\x00" in value:
        raise ValueError(NUL_MESSAGE)
    return value


def _tags(value: list[str]) -> list[str]:
    seen: list[str] = []
    for raw in value:
        tag = no_nul(raw).strip().lstrip("#").lower()
        if not tag:
            raise ValueError("a tag cannot be empty")
        if len(tag) > 50:
            raise ValueError(f"tag '{tag[:20]}…' is longer than 50 characters")
        if tag not in seen:
            seen.append(tag)
    if len(seen) > MAX_TAGS:
        raise ValueError(f"at most {MAX_TAGS} tags")
    return seen


def _rrule(value: str) -> str:
    try:
        return validate_rrule(value)
    except InvalidRecurrence as exc:
        raise ValueError(str(exc)) from exc


TimeZoneName = Annotated[str, AfterValidator(_zone)]
UtcDateTime = Annotated[datetime, AfterValidator(utc_instant)]
Tags = Annotated[list[str], AfterValidator(_tags)]
Text = Annotated[str, AfterValidator(no_nul)]
"""Any free text that is stored or sent to the database."""
Title = Annotated[Text, Field(min_length=1, max_length=MAX_TITLE)]
Notes = Annotated[Text, Field(max_length=MAX_NOTES)]
Priority = Annotated[int, Field(ge=1, le=4, description="1 = most urgent, 4 = default")]
RRule = Annotated[str, AfterValidator(_rrule)]


Channel = Literal["email", "webhook", "in_app"]


_DEFAULT_CHANNELS: list[Channel] = ["email", "in_app"]


class User(BaseModel):
    id: uuid.UUID
    email: EmailStr
    timezone: TimeZoneName = "UTC"
    locale: Locale = "en"
    created_at: datetime
    reminder_channels: list[Channel] = Field(default_factory=lambda: _DEFAULT_CHANNELS.copy())
    webhook_url: str | None = None


class UserPatch(BaseModel):
    """Only the fields present are changed; `webhook_url: null` clears it."""

    model_config = ConfigDict(extra="forbid")

    timezone: TimeZoneName | None = None
    locale: Locale | None = None
    reminder_channels: list[Channel] | None = Field(default=None, max_length=3)
    webhook_url: str | None = None


class Reminder(BaseModel):
    """An absolute moment, or an offset before the task's due time (follows the task)."""

    model_config = ConfigDict(extra="forbid")

    at: UtcDateTime | None = None
    offset_minutes: int | None = Field(default=None, ge=0, le=60 * 24 * 365)

    @model_validator(mode="after")
    def _one_of(self) -> Reminder:
        if (self.at is None) == (self.offset_minutes is None):
            raise ValueError("a reminder has exactly one of 'at' or 'offset_minutes'")
        return self

    def fire_time(self, due: datetime | None) -> datetime | None:
        if self.at is not None:
            return self.at
        if due is None or self.offset_minutes is None:
            return None
        return due - pendulum.duration(minutes=self.offset_minutes)


class Recurrence(BaseModel):
    """RFC 5545 rule; `series_id` ties the instances of one recurring task together."""

    model_config = ConfigDict(extra="forbid")

    rrule: RRule
    series_id: uuid.UUID | None = None
    occurrence: int = Field(default=1, ge=1, description="1-based index in the series")


class _TaskFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("due", check_fields=False)
    @classmethod
    def _due_is_aware(cls, value: datetime | None) -> datetime | None:
        return None if value is None else utc_instant(value)


class TaskCreate(_TaskFields):
    title: Title
    notes: Notes | None = None
    priority: Priority = 4
    tags: Tags = Field(default_factory=list)
    due: datetime | None = Field(default=None, description="UTC instant; local midnight if all-day")
    all_day: bool = False
    reminders: list[Reminder] = Field(default_factory=list, max_length=10)
    recurrence: Recurrence | None = None

    @model_validator(mode="after")
    def _consistent(self) -> TaskCreate:
        _check_due_dependents(self.due, self.reminders, self.recurrence)
        return self


class TaskPatch(_TaskFields):
    """Only the fields present are changed; `null` clears an optional field."""

    title: Title | None = None
    notes: Notes | None = None
    priority: Priority | None = None
    tags: Tags | None = None
    due: datetime | None = None
    all_day: bool | None = None
    reminders: list[Reminder] | None = Field(default=None, max_length=10)
    recurrence: Recurrence | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> TaskPatch:
        if not self.model_fields_set:
            raise ValueError("nothing to change: give at least one field")
        for required in ("title", "priority", "all_day"):
            if required in self.model_fields_set and getattr(self, required) is None:
                raise ValueError(f"'{required}' cannot be null")
        return self


def _check_due_dependents(
    due: datetime | None, reminders: list[Reminder], recurrence: Recurrence | None
) -> None:
    if due is None and any(r.offset_minutes is not None for r in reminders):
        raise ValueError("a reminder given as an offset needs a due time")
    if recurrence is not None and due is None:
        raise ValueError("a recurring task needs a due date for its first occurrence")


class Task(BaseModel):
    id: uuid.UUID
    owner_id: uuid.UUID
    title: str
    notes: str | None
    status: Status
    priority: int
    tags: list[str]
    due: datetime | None
    all_day: bool
    reminders: list[Reminder]
    recurrence: Recurrence | None
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    version: int

    def local_due(self, tz: str) -> pendulum.DateTime | None:
        return None if self.due is None else pendulum.instance(self.due).in_timezone(zone(tz))


def all_day_due(day: date, tz: str) -> datetime:
    """An all-day task is stored as the UTC instant of local midnight of that day.

    ValueError if that instant is out of range (0001-01-01 east of UTC is in year 0)."""
    try:
        midnight = pendulum.datetime(day.year, day.month, day.day, tz=zone(tz))
        return utc_instant(midnight.in_timezone(PENDULUM_UTC))
    except OverflowError as exc:
        raise ValueError(OUT_OF_RANGE) from exc


class TaskFilter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Status | None = None
    tag: Text | None = None
    priority: Priority | None = None
    due_from: UtcDateTime | None = None
    due_to: UtcDateTime | None = None
    text: Text | None = Field(default=None, max_length=200)
