"""The turn's decision, pure: what to do, on which task, or which question to ask.

Two functions and no I/O. `lookup_for` says what the decision needs to see of the user's tasks
(nothing, the task last talked about, the top candidates for a reference, the ids a bulk change
covers); the decide node fetches exactly that and `decide` returns one typed `Decision`. Every
threshold comes from `graph.policy`, so each branch is testable without Postgres or MCP.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from domain.timezones import zone
from graph import plans
from graph.plan import (
    Answer,
    AskChanges,
    AskScope,
    AskTarget,
    AskTitle,
    AskWhen,
    AskWhich,
    BulkChange,
    ChangeStatus,
    Confirm,
    CreateTask,
    ListTasks,
    SetReminder,
    TaskSnapshot,
    UpdateTask,
)
from graph.policy import Policy, planned_outcome
from graph.references import pick, resolve
from skills.recurring.graph import RecurringSkillResult
from skills.reminder.graph import ReminderSkillResult
from skills.task.graph import TaskSkillResult
from skills.understanding import Intent, ReminderSpec, TaskFields, TaskRef, Understanding

Proposal = TaskSkillResult | ReminderSkillResult | RecurringSkillResult
Status = Literal["open", "done", "all"]
_SINGLE_OPS: dict[Intent, Literal["update", "complete", "reopen", "delete", "set_reminder"]] = {
    Intent.UPDATE_TASK: "update", Intent.COMPLETE_TASK: "complete",
    Intent.REOPEN_TASK: "reopen", Intent.DELETE_TASK: "delete",
    Intent.SET_REMINDER: "set_reminder",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Lookup:
    """What the decision must see of the user's tasks before it can be made."""

    kind: Literal["none", "pinned", "last", "search", "bulk"]
    text: str = ""
    status: Status = "open"


@dataclass(frozen=True, slots=True)
class Facts:
    """What the lookup found: the pinned or last task, the candidates, or the bulk's tasks;
    and what the conversation's last change replaced (`last_change`: task_id, title, due,
    all_day before it), which "undo" puts back."""

    tasks: list[TaskSnapshot] = field(default_factory=list)
    last_change: dict[str, Any] | None = None


def lookup_for(u: Understanding, *, pinned: bool, last_task_id: str | None) -> Lookup:
    if u.intent in (Intent.HELP, Intent.UNKNOWN, Intent.QUERY_TASKS, Intent.CREATE_TASK):
        return Lookup("none")
    if pinned:
        return Lookup("pinned")
    ref = u.target or TaskRef()
    if ref.all_tasks:
        return Lookup("bulk", status="all" if u.intent is Intent.DELETE_TASK else "open")
    if ref.pronoun or (not ref.text and last_task_id):
        return Lookup("last")
    if not ref.text:
        return Lookup("none")
    return Lookup("search", ref.text, "done" if u.intent is Intent.REOPEN_TASK else "open")


def decide(
    u: Understanding, proposal: Proposal | None, lookup: Lookup, facts: Facts, *,
    policy: Policy, tz: str,
):  # fmt: skip
    """One decision: a plan, a question, or an answer (the branches of the flow, in order)."""
    if u.intent in (Intent.HELP, Intent.UNKNOWN):
        return Answer(code="help" if u.intent is Intent.HELP else "unknown")
    if u.intent is Intent.QUERY_TASKS:
        return list_plan(u, tz)
    unsure = planned_outcome(u, policy.clarify_threshold) == "clarify"
    if u.intent is Intent.CREATE_TASK:
        if "title" in u.missing or not u.task.title:
            return AskTitle()
        if "when" in u.missing:
            return AskWhen()
        plan = create_plan(u, proposal)
        return Confirm(plan=plan) if unsure else plan
    target = _target(u, lookup, facts, policy)
    if not isinstance(target, TaskSnapshot | list):
        return target
    if isinstance(target, list):  # bulk: always confirmed first
        kind = "delete_many" if u.intent is Intent.DELETE_TASK else "complete_many"
        return Confirm(plan=BulkChange(kind=kind, task_ids=[t.id for t in target]))
    if u.intent is Intent.SET_REMINDER and (
        "when" in u.missing
        or not isinstance(proposal, ReminderSkillResult)
        or (proposal.at is None and proposal.offset_minutes is None)
    ):
        return AskWhen(task=target)
    if _needs_due(u) and not target.due:
        # "remind me 30 minutes before the dentist", "postpone it by 2 days": relative to a due
        # time the task does not have, so ask for the moment instead of failing the call
        if u.intent is Intent.SET_REMINDER:
            return AskWhen(task=target, no_due=True)
        return AskChanges(task=target)
    if u.intent is Intent.UPDATE_TASK and "changes" in u.missing:
        return AskChanges(task=target)
    if (undo := undo_plan(u, lookup, facts, target, tz)) is not None:
        return Confirm(plan=undo)
    plan = single_plan(u, proposal, target)
    if isinstance(plan, UpdateTask) and (scope := scope_question(plan, tz)) is not None:
        return scope
    # Too unsure to change a task unasked, unless the user just picked the task themselves.
    return Confirm(plan=plan) if unsure and lookup.kind != "pinned" else plan


def _target(u: Understanding, lookup: Lookup, facts: Facts, policy: Policy):
    """The task (or, for a bulk change, tasks) the message points at, or what to say instead."""
    if lookup.kind == "bulk":
        if not facts.tasks:
            deleting = u.intent is Intent.DELETE_TASK
            code = "nothing_to_delete" if deleting else "nothing_to_complete"
            return Answer(code=code, outcome="rejected")
        return facts.tasks
    if lookup.kind in ("pinned", "last"):
        return facts.tasks[0] if facts.tasks else AskTarget(lost_track=True)
    if lookup.kind == "none":
        return AskTarget()
    found = resolve(lookup.text, [t.view() for t in facts.tasks], policy)
    if found.task is not None:
        return TaskSnapshot.model_validate(found.task)
    if found.ambiguous:
        return AskWhich(candidates=[TaskSnapshot.model_validate(t) for t in found.candidates])
    return Answer(code="no_match", values={"text": lookup.text}, outcome="rejected")


def _needs_due(u: Understanding) -> bool:
    """An offset reminder or a shift is measured from the task's due time."""
    if u.intent is Intent.SET_REMINDER:
        return u.reminder is not None and u.reminder.offset_minutes is not None
    if u.intent is Intent.UPDATE_TASK:
        return bool(u.task.shift_minutes) and u.task.due_date is None
    return False


def list_plan(u: Understanding, tz: str) -> ListTasks:
    """A query; for finished tasks its days are when they were done ("what did I finish
    today?"), which the tool cannot filter by, so the handler does."""
    spec = u.query
    if spec is None or spec.status != "done" or (spec.due_from is None and spec.due_to is None):
        return ListTasks(args=plans.query_args(spec, tz))
    undated = spec.model_copy(update={"due_from": None, "due_to": None})
    args = {**plans.query_args(undated, tz), "limit": 200}
    return ListTasks(args=args, done_from=spec.due_from, done_to=spec.due_to)


def undo_plan(
    u: Understanding, lookup: Lookup, facts: Facts, task: TaskSnapshot, tz: str
) -> UpdateTask | None:
    """ "undo" (read as reopen "it") right after a change of that task puts back what the
    change replaced, instead of reopening a task that is not done."""
    last = facts.last_change
    if u.intent is not Intent.REOPEN_TASK or lookup.kind != "last" or last is None:
        return None
    if last.get("task_id") != task.id or task.status == "done" or not last.get("due"):
        return None
    due = datetime.fromisoformat(last["due"]).astimezone(zone(tz))
    fields = TaskFields(
        title=last["title"] if last.get("title") != task.title else None,
        due_date=due.date(), due_time=None if last.get("all_day") else due.time(),
    )  # fmt: skip
    return UpdateTask(task=task, fields=fields, undo=True)


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def scope_question(plan: UpdateTask, tz: str) -> AskScope | None:
    """Moving a repeating task to another day: this occurrence only, or the series? The series
    of a weekly rule moves to the new weekday; other rules keep their days."""
    rule = (plan.task.recurrence or {}).get("rrule")
    if not rule or plan.rrule is not None or plan.fields.due_date is None:
        return None
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    every = plan
    if parts.get("FREQ") == "WEEKLY":
        parts["BYDAY"] = _WEEKDAYS[plan.fields.due_date.weekday()]
        every = plan.model_copy(update={"rrule": ";".join(f"{k}={v}" for k, v in parts.items())})
    return AskScope(this_one=plan, every_one=every)


def create_plan(u: Understanding, proposal: Proposal | None) -> CreateTask:
    """A new task from the skill's proposal: a series from the recurring skill, reminders from
    the reminder skill, fields from whichever ran."""
    if isinstance(proposal, RecurringSkillResult) and proposal.recurrence is not None:
        return CreateTask(
            fields=proposal.fields, rrule=proposal.recurrence.rrule,
            rule_phrase=proposal.recurrence.phrase or proposal.recurrence.rrule,
            upcoming=proposal.upcoming()[:3], reminder_offsets=proposal.reminder_offsets_minutes,
        )  # fmt: skip
    if isinstance(proposal, ReminderSkillResult):
        fields = proposal.fields
        offsets = []
        if proposal.offset_minutes is not None and fields.due_date is not None:
            offsets = [proposal.offset_minutes]
        return CreateTask(fields=fields, reminder_offsets=offsets, remind_at=proposal.at)
    fields = proposal.fields if isinstance(proposal, TaskSkillResult) else u.task
    return CreateTask(fields=fields)


def single_plan(u: Understanding, proposal: Proposal | None, task: TaskSnapshot):
    op = _SINGLE_OPS[u.intent]
    if op == "set_reminder":
        assert isinstance(proposal, ReminderSkillResult)
        return SetReminder(
            task=task, at=proposal.at, offset_minutes=proposal.offset_minutes,
            recurrence=proposal.recurrence, moments=proposal.moments,
        )  # fmt: skip
    if op == "update":
        rrule = u.recurrence.rrule if u.recurrence is not None else None
        if isinstance(proposal, RecurringSkillResult) and proposal.recurrence is not None:
            rrule = proposal.recurrence.rrule
        at = offset = None
        if isinstance(proposal, ReminderSkillResult):
            at, offset = proposal.at, proposal.offset_minutes
        return UpdateTask(task=task, fields=u.task, rrule=rrule, remind_at=at, remind_offset=offset)
    assert op in ("complete", "reopen", "delete")
    return ChangeStatus(kind=op, task=task)


# -- the user's answer to a question ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Resume:
    """What an answer changes. The graph's route after clarify reads only the result:
    a `decision` (a plan: act; an answer: say it; a question: ask again), or none (the turn is
    understood again: from the new `message`, or through the skill with `understanding`)."""

    decision: object | None = None
    message: str | None = None  # the answer was a new command
    understanding: Understanding | None = None
    pinned: TaskSnapshot | None = None


def needs_reading(question: object) -> bool:
    """Whether the answer must be understood as language (not a yes/no or a pick)."""
    return not isinstance(question, Confirm | AskWhich | AskScope)


def read_answer(
    question: object, answer: str, u: Understanding, reply: Understanding | None, *,
    policy: Policy,
) -> Resume:  # fmt: skip
    """The answer to `question` applied to the turn's understanding `u`; `reply` is the answer
    understood on its own (for the questions `needs_reading` says so)."""
    if isinstance(question, Confirm):
        if plans.yes(answer):
            return Resume(decision=question.plan)
        if plans.no(answer):
            return Resume(decision=Answer(code="cancelled", outcome="rejected"))
        return Resume(message=answer)
    if isinstance(question, AskScope):
        if plans.every_one(answer):
            return Resume(decision=question.every_one)
        if plans.this_one(answer):
            return Resume(decision=question.this_one)
        if plans.no(answer):
            return Resume(decision=Answer(code="cancelled", outcome="rejected"))
        return Resume(message=answer)
    if isinstance(question, AskWhich):
        chosen = pick(answer, [c.view() for c in question.candidates])
        if chosen is None:
            return Resume(message=answer)
        return Resume(understanding=u, pinned=TaskSnapshot.model_validate(chosen))
    assert reply is not None
    if reply.intent not in (Intent.CREATE_TASK, Intent.UNKNOWN) and (
        reply.confidence >= policy.new_command_confidence
    ):
        return Resume(message=answer)  # not an answer but a new command: the user moved on
    missing = [m for m in u.missing if m != question.kind]  # type: ignore[attr-defined]
    if isinstance(question, AskTitle):
        fields = u.task.model_copy(update={"title": reply.task.title or answer})
        return Resume(understanding=_with(u, task=fields, confidence=1.0, missing=missing))
    if isinstance(question, AskTarget):
        return Resume(understanding=_with(u, target=TaskRef(text=answer), missing=missing))
    if isinstance(question, AskWhen):
        reminder = reply.reminder
        if reminder is None and reply.task.due_date is not None:
            reminder = ReminderSpec(at_date=reply.task.due_date, at_time=reply.task.due_time)
        if reminder is None:
            return Resume(decision=question)  # still no time: ask again
        return Resume(
            understanding=_with(u, reminder=reminder, missing=missing), pinned=question.task
        )
    assert isinstance(question, AskChanges)
    changes = reply.task.model_dump(exclude_defaults=True)
    if not changes:
        return Resume(decision=question)
    if "title" in changes and reply.intent is Intent.CREATE_TASK and len(changes) == 1:
        changes = {"title": changes["title"]}
    fields = u.task.model_copy(update=changes)
    return Resume(understanding=_with(u, task=fields, missing=missing), pinned=question.task)


def _with(u: Understanding, **changes: object) -> Understanding:
    return u.model_copy(update=changes)
