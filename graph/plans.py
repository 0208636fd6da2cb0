"""From an understanding to tool arguments: local wall-clock values become aware instants here."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from domain.recurrence import localize
from domain.timezones import zone
from skills.understanding import QuerySpec, ReminderSpec, TaskFields

_YES = re.compile(
    r"^\s*(?:y|yes|yeah|yep|sure|ok(?:ay)?|confirm(?:ed)?|do it|go ahead|please do|correct"
    r"|ہاں|ہاں جی|جی|جی ہاں|ٹھیک ہے|کر دو|کردو|بالکل|درست)\s*[.!۔]*\s*$",
    re.IGNORECASE,
)
_NO = re.compile(
    r"^\s*(?:n|no|nope|nah|cancel|stop|don'?t|never ?mind|abort"
    r"|نہیں|نہیں جی|مت|رہنے دو|منسوخ|جانے دو)\s*[.!۔]*\s*$",
    re.IGNORECASE,
)


_THIS_ONE = re.compile(
    r"^\s*(?:(?:just|only)\s+)?(?:this|that)(?:\s+(?:one|time|occurrence|week))?(?:\s+only)?"
    r"|^\s*(?:just\s+|only\s+)?once"
    r"|^\s*(?:صرف\s*)?(?:یہ|اس)(?:\s*(?:والا|والی|ایک|بار|دفعہ))*"
    r"|^\s*صرف",
    re.IGNORECASE,
)
_END = re.compile(r"\s*[.!۔]*\s*$")
_EVERY_ONE = re.compile(
    r"^\s*(?:every|all|each)\b|^\s*(?:the\s+)?(?:whole|entire)\s+series|^\s*always"
    r"|^\s*(?:ہر|سب|سارے|تمام|ہمیشہ)",
    re.IGNORECASE,
)


def every_one(answer: str) -> bool:
    """ "every one", "all of them", "ہر بار": the whole series."""
    return bool(_EVERY_ONE.match(answer))


def this_one(answer: str) -> bool:
    """ "just this one", "only this time", "صرف یہ والا": one occurrence."""
    if every_one(answer) or (found := _THIS_ONE.match(answer)) is None:
        return False
    return _END.fullmatch(answer[found.end() :]) is not None


def yes(answer: str) -> bool:
    return bool(_YES.match(answer))


def no(answer: str) -> bool:
    return bool(_NO.match(answer))


def moment(day: date, at: time | None, tz: str) -> str:
    """A local date (and time) as an ISO instant with offset; all-day handled by the caller."""
    return localize(datetime.combine(day, at or time(0)), tz).isoformat()


def due_args(fields: TaskFields, tz: str) -> dict[str, Any]:
    if fields.due_date is None:
        return {}
    if fields.due_time is None:
        return {"due_date": fields.due_date.isoformat()}
    return {"due": moment(fields.due_date, fields.due_time, tz)}


def create_args(fields: TaskFields, tz: str, *, rrule: str | None = None) -> dict[str, Any]:
    args: dict[str, Any] = {"title": fields.title, "tags": fields.tags or None}
    if fields.notes:
        args["notes"] = fields.notes
    if fields.priority is not None:
        args["priority"] = fields.priority
    args.update(due_args(fields, tz))
    if rrule:
        args["rrule"] = rrule
    return args


def update_args(fields: TaskFields, current: dict[str, Any], tz: str) -> dict[str, Any]:
    args: dict[str, Any] = {}
    if fields.title:
        args["title"] = fields.title
    if fields.notes:
        args["notes"] = fields.notes
    if fields.priority is not None:
        args["priority"] = fields.priority
    if fields.tags:
        args["add_tags"] = fields.tags
    if fields.due_date is not None:
        at = fields.due_time
        if at is None and current.get("due") and not current.get("all_day"):
            # "move the dentist to friday" keeps the dentist's hour
            at = datetime.fromisoformat(current["due"]).astimezone(zone(tz)).time()
        args.update(due_args(fields.model_copy(update={"due_time": at}), tz))
    elif fields.shift_minutes and current.get("due"):
        # "postpone it by 2 days": from the task's own due moment, keeping all-day tasks all-day
        moved = datetime.fromisoformat(current["due"]) + timedelta(minutes=fields.shift_minutes)
        if current.get("all_day"):
            args["due_date"] = moved.astimezone(zone(tz)).date().isoformat()
        else:
            args["due"] = moved.isoformat()
    elif fields.due_time is not None and current.get("due"):
        day = datetime.fromisoformat(current["due"]).astimezone(zone(tz)).date()
        args["due"] = moment(day, fields.due_time, tz)
    return args


def reminder_args(spec: ReminderSpec, tz: str) -> dict[str, Any]:
    if spec.offset_minutes is not None:
        return {"offset_minutes": spec.offset_minutes}
    if spec.at_date is not None:
        return {"at": moment(spec.at_date, spec.at_time, tz)}
    return {}


def query_args(spec: QuerySpec | None, tz: str) -> dict[str, Any]:
    spec = spec or QuerySpec()
    args: dict[str, Any] = {
        "status": spec.status,
        "tag": spec.tag,
        "priority": spec.priority,
        "text": spec.text,
        "limit": 50,
    }
    if spec.due_from is not None:
        args["due_from"] = moment(spec.due_from, None, tz)
    if spec.due_to is not None:
        # the query's last day is inclusive; the tool's bound is exclusive
        args["due_to"] = moment(spec.due_to + timedelta(days=1), None, tz)
    return args
