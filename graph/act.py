"""Executing a plan: one handler per plan kind, each a few tool calls and the words to say.

Handlers act only through `Tools.call` (the MCP tools, idempotent per operation key) and return
the state update of the turn: reply, tasks touched, actions, outcome, the task now talked about.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.recurrence import next_occurrence
from domain.timezones import zone
from graph import plans
from graph.plan import (
    BulkChange,
    ChangeStatus,
    CreateTask,
    ListTasks,
    SetReminder,
    UpdateTask,
)
from graph.replies import by_time, due_suffix, minutes_phrase, say, task_lines, when

Call = Callable[[str, dict[str, Any], str], Awaitable[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class Turn:
    """What a handler acts through: the bound tool call, the user's zone and language."""

    call: Call
    tz: str
    lang: str


def done(
    action: str, task: dict[str, Any], reply: str, *, replaced: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The turn's result; `replaced` is what an update changed, for an "undo" next."""
    return {
        "reply": reply,
        "tasks": [task],
        "actions": [{"action": action, "task_id": task["id"]}],
        "outcome": "executed",
        "last_task_id": None if action == "deleted" else task["id"],
        "last_change": replaced,
    }


async def list_tasks(plan: ListTasks, t: Turn) -> dict[str, Any]:
    tasks = (await t.call("list_tasks", plan.args, "list"))["tasks"]
    if plan.done_from is not None or plan.done_to is not None:
        tasks = [task for task in tasks if _done_within(task, plan, t.tz)]
    tasks = by_time(tasks)
    reply = (say(t.lang, "listed", count=len(tasks), lines=task_lines(tasks, t.tz, t.lang))
             if tasks else say(t.lang, "listed_none"))  # fmt: skip
    return {"reply": reply, "tasks": tasks, "outcome": "answered"}


async def create(plan: CreateTask, t: Turn) -> dict[str, Any]:
    args = plans.create_args(plan.fields, t.tz, rrule=plan.rrule)
    if plan.reminder_offsets:
        args["reminder_offsets_minutes"] = plan.reminder_offsets
    task = await t.call("create_task", args, "create")
    if plan.remind_at is not None:
        at = {"task_id": task["id"], "at": plan.remind_at.isoformat()}
        task = await t.call("set_reminder", at, "create:reminder")
    if plan.rrule:
        upcoming = ", ".join(when(o, t.tz, t.lang, all_day=task.get("all_day", False))
                             for o in plan.upcoming)  # fmt: skip
        reply = say(t.lang, "created_recurring", title=task["title"], rule=plan.rule_phrase,
                    next=upcoming)  # fmt: skip
    else:
        reply = say(t.lang, "created", title=task["title"], due=due_suffix(task, t.tz, t.lang))
    if plan.remind_at is not None:  # the reminder is not the due time: say when it fires
        reply += " " + say(t.lang, "reminder_note", at=when(plan.remind_at, t.tz, t.lang))
    elif plan.reminder_offsets:  # "remind me …": say that it will, and when
        moments = ", ".join(_offset_phrase(m, t.lang) for m in plan.reminder_offsets)
        reply += " " + say(t.lang, "reminder_also", when=moments)
    return done("created", task, reply)


def _offset_phrase(minutes: int, lang: str) -> str:
    if minutes == 0:
        return say(lang, "reminder_due")
    return say(lang, "reminder_offset", minutes=minutes_phrase(minutes, lang))


async def update(plan: UpdateTask, t: Turn) -> dict[str, Any]:
    tid = plan.task.id
    args = {"task_id": tid, **plans.update_args(plan.fields, plan.task.view(), t.tz)}
    if plan.rrule is not None:
        args["rrule"] = plan.rrule
    task = plan.task.view()
    if len(args) > 1:
        task = await t.call("update_task", args, "update")
    if plan.remind_at is not None or plan.remind_offset is not None:
        at = plan.remind_at.isoformat() if plan.remind_at is not None else None
        reminder = {"task_id": tid, "at": at, "offset_minutes": plan.remind_offset}
        task = await t.call("set_reminder", reminder, "update:reminder")
    reply = say(t.lang, "updated", title=task["title"], due=due_suffix(task, t.tz, t.lang))
    before = plan.task
    replaced = None if plan.undo else {
        "task_id": before.id, "title": before.title, "due": before.due, "all_day": before.all_day,
    }  # fmt: skip
    return done("updated", task, reply, replaced=replaced)


async def set_reminder(plan: SetReminder, t: Turn) -> dict[str, Any]:
    tid = plan.task.id
    if plan.recurrence is not None:
        # "every monday at 9": the task repeats on the rule, due at its first occurrence, and
        # is reminded at each one (the recurring consumer carries the offset to each instance).
        first = plan.moments[0] if plan.moments else None
        series = {"task_id": tid, "rrule": plan.recurrence.rrule,
                  "due": first.isoformat() if first else None}  # fmt: skip
        await t.call("update_task", series, "set_reminder:series")
    at = plan.at.isoformat() if plan.at is not None else None
    args = {"task_id": tid, "at": at, "offset_minutes": plan.offset_minutes}
    task = await t.call("set_reminder", args, "set_reminder")
    if plan.recurrence is not None:
        phrase = plan.recurrence.phrase or plan.recurrence.rrule
        moments = ", ".join(when(m, t.tz, t.lang) for m in plan.moments)
        phrase = say(t.lang, "reminder_every", rule=phrase, next=moments)
    elif plan.offset_minutes is not None:
        phrase = _offset_phrase(plan.offset_minutes, t.lang)
    else:
        phrase = say(t.lang, "reminder_at", at=when(at, t.tz, t.lang))
    return done("reminder_set", task, say(t.lang, "reminder_set", title=task["title"], when=phrase))


_STATUS = {
    "complete": ("complete_task", "completed"), "reopen": ("reopen_task", "reopened"),
    "delete": ("delete_task", "deleted"),
}  # fmt: skip


async def change_status(plan: ChangeStatus, t: Turn) -> dict[str, Any]:
    tool, action = _STATUS[plan.kind]
    task = await t.call(tool, {"task_id": plan.task.id}, plan.kind)
    reply = say(t.lang, action, title=task["title"])
    if plan.kind == "complete" and (upcoming := next_due(task, t.tz)) is not None:
        shown = when(upcoming, t.tz, t.lang, all_day=task.get("all_day", False))
        reply = say(t.lang, "completed_next", title=task["title"], next=shown)
    return done(action, task, reply)


async def bulk(plan: BulkChange, t: Turn) -> dict[str, Any]:
    tool, action = _STATUS[plan.kind.removesuffix("_many")]
    changed = [await t.call(tool, {"task_id": tid}, f"{plan.kind}:{tid}") for tid in plan.task_ids]
    return {
        "reply": say(t.lang, f"{action}_many", count=len(changed)),
        "tasks": changed,
        "actions": [{"action": action, "task_id": task["id"]} for task in changed],
        "outcome": "executed",
        "last_task_id": None,
        "last_change": None,
    }


def _done_within(task: dict[str, Any], plan: ListTasks, tz: str) -> bool:
    if not task.get("completed_at"):
        return False
    day = datetime.fromisoformat(task["completed_at"]).astimezone(zone(tz)).date()
    return (plan.done_from is None or day >= plan.done_from) and (
        plan.done_to is None or day <= plan.done_to
    )


def next_due(task: dict[str, Any], tz: str) -> datetime | None:
    """A completed recurring task's next occurrence (the recurring consumer creates it)."""
    rule = (task.get("recurrence") or {}).get("rrule")
    if not rule or not task.get("due"):
        return None
    due = datetime.fromisoformat(task["due"])
    return next_occurrence(rule, due.astimezone(zone(tz)).replace(tzinfo=None), tz, after=due)


HANDLERS: dict[str, Callable[[Any, Turn], Awaitable[dict[str, Any]]]] = {
    "list": list_tasks, "create": create, "update": update, "set_reminder": set_reminder,
    "complete": change_status, "reopen": change_status, "delete": change_status,
    "complete_many": bulk, "delete_many": bulk,
}  # fmt: skip
