"""The two file formats of export and import: our own JSON, and Todoist's CSV template.

Reading a file never stops at its first bad row: every row is checked and every problem is
reported with where it is (a CSV line, a JSON item), so a person fixes the file in one pass.

Todoist's CSV: one row per item, TYPE `task` (a `note` row joins the notes of the task above it;
sections and blank rows are skipped),
CONTENT the title with `@label`s, DESCRIPTION, PRIORITY 1 (p1, most urgent) .. 4, DATE in words
("every sunday at 7pm", "tomorrow", "2026-12-06 19:00") read in TIMEZONE or the user's zone.
Todoist has no column for an RFC 5545 rule, so our export adds one (RRULE), which our import
reads back; Todoist ignores it and reads DATE.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pendulum
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from api.schemas import RecurrenceIn, TaskIn, TaskOut
from domain.models import MAX_NOTES, NUL_MESSAGE, Status, Task, TaskCreate, Title
from domain.store.task_import import MAX_ROWS, ImportRow
from domain.validation import error_field, error_message, first_error
from skills.understanding.phrases import resolve_recurrence, resolve_when
from skills.understanding.types import ParseContext

FORMAT = "todo-agent"
VERSION = 1
TODOIST_COLUMNS = [
    "TYPE", "CONTENT", "DESCRIPTION", "PRIORITY", "INDENT", "AUTHOR", "RESPONSIBLE", "DATE",
    "DATE_LANG", "TIMEZONE", "DURATION", "DURATION_UNIT", "DEADLINE", "DEADLINE_LANG", "RRULE",
]  # fmt: skip
_LABEL = re.compile(r"(?:^|\s)@([^\s@]+)")


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    message: str
    line: int | None = None
    field: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"row": self.row, "message": self.message}
        if self.line is not None:
            out["line"] = self.line
        if self.field is not None:
            out["field"] = self.field
        return out


class BadFile(ValueError):
    """The file as a whole cannot be read (not JSON, not CSV, too many rows)."""


@dataclass
class Parsed:
    rows: list[ImportRow]
    errors: list[RowError]
    skipped: int = 0


# -- JSON -------------------------------------------------------------------------------------


class _JsonTask(TaskIn):
    """One task of our JSON export; what the API computes (times, versions) is ignored."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID | None = None
    status: Status = Status.OPEN
    all_day: bool = False
    due_local: str | None = None
    created_at: Any = None
    updated_at: Any = None
    completed_at: Any = None
    version: Any = None


class _Recurrence(RecurrenceIn):
    model_config = ConfigDict(extra="ignore")  # series_id, occurrence: this account's own


def export_json(tasks: list[Task], timezone: str) -> bytes:
    body = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
        "timezone": timezone,
        "tasks": [TaskOut.of(t, timezone).model_dump(mode="json") for t in tasks],
    }
    return json.dumps(body, ensure_ascii=False, indent=1).encode()


def _first(exc: ValidationError | RequestValidationError) -> tuple[str | None, str]:
    """(field, message) of the first error, in the project's one wording."""
    err = exc.errors()[0]
    return error_field(tuple(err.get("loc", ()))) or None, error_message(err)


def parse_json(raw: bytes, timezone: str) -> Parsed:
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise BadFile(f"not JSON{f' (line {line})' if line else ''}: {exc}") from exc
    items = body.get("tasks") if isinstance(body, dict) else body
    if not isinstance(items, list):
        raise BadFile("expected a JSON export: an object with a 'tasks' list (or a list)")
    _check_size(len(items))
    parsed = Parsed([], [])
    for n, item in enumerate(items, start=1):
        try:
            if isinstance(item, dict) and isinstance(item.get("recurrence"), dict):
                item = {**item, "recurrence": _Recurrence.model_validate(item["recurrence"])}
            if isinstance(item, dict) and item.get("all_day") and item.get("due_local"):
                # An all-day task exports its local date; read it back as that date.
                item = {**item, "due": None, "due_date": item["due_local"]}
            task = _JsonTask.model_validate(item)
            create = task.to_domain(timezone)
        except ValidationError as exc:
            where, message = _first(exc)
            parsed.errors.append(RowError(n, message, field=where))
            continue
        except (ValueError, RequestValidationError) as exc:  # rules checked in the user's zone
            parsed.errors.append(RowError(n, _message(exc)))
            continue
        parsed.rows.append(ImportRow(n, create, task.status, task.id))
    return parsed


def _message(exc: Exception) -> str:
    if isinstance(exc, RequestValidationError):
        return _first(exc)[1]
    return first_error(exc)


def _check_size(n: int) -> None:
    if n > MAX_ROWS:
        raise BadFile(f"at most {MAX_ROWS} tasks in one import (this file has {n})")


# -- Todoist CSV ------------------------------------------------------------------------------


def export_csv(tasks: list[Task], timezone: str) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TODOIST_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for task in tasks:
        if task.status is not Status.OPEN:
            continue  # Todoist's template holds open tasks only
        local = task.local_due(timezone)
        when = ""
        if local is not None:
            when = local.format("YYYY-MM-DD") if task.all_day else local.format("YYYY-MM-DD HH:mm")
        writer.writerow(
            {
                "TYPE": "task",
                "CONTENT": " ".join([task.title, *(f"@{t}" for t in task.tags)]),
                "DESCRIPTION": task.notes or "",
                "PRIORITY": task.priority,
                "INDENT": 1,
                "DATE": when,
                "DATE_LANG": "en" if when else "",
                "TIMEZONE": timezone if when else "",
                "RRULE": task.recurrence.rrule if task.recurrence else "",
            }
        )
    # A byte order mark: spreadsheet apps then read the Urdu as UTF-8.
    return ("\ufeff" + out.getvalue()).encode()


class _CsvTask(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title
    notes: str | None = None
    priority: int = Field(default=4, ge=1, le=4)


def parse_csv(raw: bytes, timezone: str, *, now: datetime | None = None) -> Parsed:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadFile(f"the CSV is not UTF-8 text: {exc}") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().upper() for h in reader.fieldnames or []]
    if "CONTENT" not in header:
        raise BadFile("not a Todoist CSV: the first line must name the columns (TYPE,CONTENT,…)")
    reader.fieldnames = header
    parsed = Parsed([], [])
    now = now or datetime.now(UTC)
    count = 0
    last_ok = False  # whether the task a following note belongs to was read
    for record in _records(reader):
        line = reader.line_num  # the record's last line (a quoted field may span several)
        kind = (record.get("TYPE") or "").strip().lower()
        if kind == "note" and last_ok:
            try:
                parsed.rows[-1] = _with_note(parsed.rows[-1], record.get("CONTENT") or "")
            except _RowProblem as problem:
                parsed.errors.append(RowError(count, problem.message, line=line, field="CONTENT"))
            continue
        if kind != "task":
            parsed.skipped += 1
            last_ok = False
            continue
        count += 1
        try:
            parsed.rows.append(_csv_row(record, count, line, timezone, now))
            last_ok = True
        except _RowProblem as problem:
            parsed.errors.append(RowError(count, problem.message, line=line, field=problem.field))
            last_ok = False
    _check_size(count)
    return parsed


def _with_note(row: ImportRow, note: str) -> ImportRow:
    """A Todoist note (a comment on the task above) joins the task's notes."""
    note = note.strip()
    if not note:
        return row
    notes = f"{row.task.notes}\n\n{note}" if row.task.notes else note
    if len(notes) > MAX_NOTES:
        raise _RowProblem("CONTENT", f"the task's notes would pass {MAX_NOTES} characters")
    if "\x00" in notes:
        raise _RowProblem("CONTENT", NUL_MESSAGE)
    return replace(row, task=row.task.model_copy(update={"notes": notes}))


def _records(reader: csv.DictReader[str]) -> Iterator[dict[str, str | None]]:
    try:
        yield from reader
    except csv.Error as exc:
        raise BadFile(f"unreadable CSV at line {reader.line_num}: {exc}") from exc


class _RowProblem(Exception):
    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def _csv_row(
    record: dict[str, str | None], row: int, line: int, timezone: str, now: datetime
) -> ImportRow:
    content = (record.get("CONTENT") or "").strip()
    tags = _LABEL.findall(content)
    title = _LABEL.sub("", content).strip()
    priority_raw = (record.get("PRIORITY") or "").strip() or "4"
    if not priority_raw.isdigit():
        raise _RowProblem("PRIORITY", f"PRIORITY must be 1 to 4, not {priority_raw!r}")
    zone_name = (record.get("TIMEZONE") or "").strip() or timezone
    try:
        ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise _RowProblem("TIMEZONE", f"{zone_name!r} is not an IANA time zone") from exc
    try:
        base = _CsvTask(
            title=title, notes=(record.get("DESCRIPTION") or "").strip() or None,
            priority=int(priority_raw),
        )  # fmt: skip
    except ValidationError as exc:
        where, message = _first(exc)
        column = {"title": "CONTENT", "notes": "DESCRIPTION", "priority": "PRIORITY"}
        raise _RowProblem(column.get(where or "", where), message) from exc
    due, rrule = _csv_when(record, zone_name, now)
    fields: dict[str, Any] = {"title": base.title, "notes": base.notes, "priority": base.priority}
    fields["tags"] = tags
    if isinstance(due, datetime):
        fields["due"] = due
    elif isinstance(due, date):
        fields["due_date"] = due
    if rrule:
        fields["recurrence"] = RecurrenceIn(rrule=rrule)
    try:
        create: TaskCreate = TaskIn.model_validate(fields).to_domain(zone_name)
    except (ValidationError, ValueError, RequestValidationError) as exc:
        raise _RowProblem(None, _message(exc)) from exc
    return ImportRow(row, create)


def _csv_when(
    record: dict[str, str | None], zone_name: str, now: datetime
) -> tuple[datetime | date | None, str | None]:
    """DATE (and our RRULE column) → a local due date or date-time, and a rule."""
    words = (record.get("DATE") or "").strip()
    rrule = (record.get("RRULE") or "").strip() or None
    if not words:
        if rrule:
            raise _RowProblem("DATE", "a repeating task needs a DATE for its first occurrence")
        return None, None
    if (exact := _iso(words)) is not None:
        return exact, rrule
    language = "ur" if re.search(r"[\u0600-\u06FF]", words) else "en"
    ctx = ParseContext(now=now, timezone=zone_name, locale=language)
    if rrule is None and (spec := resolve_recurrence(words, ctx)) is not None:
        return spec.dtstart, spec.rrule
    day, clock = resolve_when(words, ctx)
    if day is None and clock is None:
        raise _RowProblem("DATE", f"cannot read the date {words!r}")
    day = day or pendulum.instance(now).in_timezone(zone_name).date()
    return (datetime.combine(day, clock) if clock else day), rrule


def _iso(words: str) -> datetime | date | None:
    """'2026-12-06' (all day) or '2026-12-06 19:00' (local unless an offset is given)."""
    try:
        return date.fromisoformat(words) if len(words) == 10 else datetime.fromisoformat(words)
    except ValueError:
        return None


__all__ = [
    "BadFile",
    "Parsed",
    "RowError",
    "export_csv",
    "export_json",
    "parse_csv",
    "parse_json",
]
