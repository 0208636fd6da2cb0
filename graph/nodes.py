"""The orchestrator's nodes.

load_context → detect_intent → task | reminder | recurring skill → validate → clarify (interrupt)
or execute → audit → respond. Side effects happen only in execute (tools) and audit (outbox), both
after any interrupt, so a resumed or replayed step never acts twice (tool calls also carry an
idempotency key derived from the conversation, the turn and the operation).
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from domain.events import EventType, Topic
from domain.recurrence import next_occurrence, occurrences
from domain.store import Meta, Outbox
from domain.timezones import zone
from graph import plans, policy
from graph.context import Context
from graph.references import pick, resolve
from graph.replies import by_time, due_suffix, minutes_phrase, say, task_lines, when
from graph.state import PER_TURN_RESET, State
from skills.audit.graph import graph as audit_skill
from skills.recurring.graph import graph as recurring_skill
from skills.reminder.graph import graph as reminder_skill
from skills.task.graph import graph as task_skill
from skills.understanding import (
    Intent,
    ParseContext,
    TaskRef,
    Understander,
    Understanding,
    UnderstandingUnavailable,
)
from skills.understanding.factory import make_understander
from tools.client import CallBinding, Toolbox, ToolFailed

log = logging.getLogger(__name__)
_DECISION_NAMESPACE = uuid.UUID("5b0e7c55-4f0a-4d36-9a49-0f6f3c1d2a77")

SkillNode = Literal["task_skill", "reminder_skill", "recurring_skill", "validate"]
_NEEDS_TARGET = {
    Intent.UPDATE_TASK, Intent.COMPLETE_TASK, Intent.REOPEN_TASK, Intent.DELETE_TASK,
    Intent.SET_REMINDER,
}  # fmt: skip
_BULK_OPS = ("delete_many", "complete_many")
MAX_TASKS = 5_000  # a bound on one turn's work; far beyond any person's list
_SKILLS = {"task_skill": task_skill, "reminder_skill": reminder_skill,
           "recurring_skill": recurring_skill}  # fmt: skip


@dataclass
class Deps:
    """What the nodes act through; built by the API's lifespan (or lazily for Studio)."""

    toolbox: Toolbox
    outbox: Outbox | None = None


DepsProvider = Callable[[], Awaitable[Deps]]


def route(u: Understanding) -> SkillNode:
    if u.intent in (Intent.HELP, Intent.UNKNOWN, Intent.QUERY_TASKS):
        return "validate"
    if u.recurrence is not None and u.intent in (Intent.CREATE_TASK, Intent.UPDATE_TASK):
        return "recurring_skill"
    if u.intent is Intent.SET_REMINDER or u.reminder is not None:
        return "reminder_skill"
    return "task_skill"


def _lang(state: State, ctx: Context) -> str:
    return state.get("language") or ctx.locale


def _question(kind: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "text": text, **extra}


class Orchestrator:
    def __init__(self, deps: DepsProvider) -> None:
        self._deps = deps
        self._understanders: dict[tuple[str, str, str], Understander] = {}

    # -- helpers -------------------------------------------------------------------------------

    def _understander(self, ctx: Context) -> Understander:
        key = (ctx.nlu_backend, ctx.ollama_base_url, ctx.ollama_model)
        if key not in self._understanders:
            self._understanders[key] = make_understander(
                ctx.nlu_backend, ollama_base_url=ctx.ollama_base_url, ollama_model=ctx.ollama_model
            )
        return self._understanders[key]

    async def _understand(self, text: str, ctx: Context) -> Understanding:
        parse_ctx = ParseContext(now=ctx.clock(), timezone=ctx.timezone, locale=ctx.locale)
        try:
            return await self._understander(ctx).understand(text, parse_ctx)
        except UnderstandingUnavailable:
            if ctx.nlu_backend == "rules":
                raise
            # The model is down: the deterministic grammar still understands most commands.
            log.warning("LLM backend unavailable; falling back to the rules backend")
            rules = ctx.__class__(**{**ctx.__dict__, "nlu_backend": "rules"})
            return await self._understander(rules).understand(text, parse_ctx)

    @staticmethod
    def _binding(ctx: Context, state: State, op: str) -> CallBinding:
        turn = state.get("turn_key") or str(state.get("turn", 0))
        key = f"{ctx.conversation_id}:{turn}:{op}" if ctx.conversation_id else None
        return CallBinding(ctx.user_id, idempotency_key=key, correlation_id=ctx.correlation_id)

    async def _tasks(self, ctx: Context, status: str = "open") -> list[dict[str, Any]]:
        """All the user's tasks of that status (up to MAX_TASKS): references and bulk changes
        must see every one, not the first page."""
        deps = await self._deps()
        args: dict[str, Any] = {"status": status, "limit": 200}
        found: list[dict[str, Any]] = []
        while len(found) < MAX_TASKS:
            page = await deps.toolbox.call("list_tasks", args, CallBinding(ctx.user_id))
            found += page["tasks"]
            if not page.get("next_cursor"):
                break
            args = {**args, "cursor": page["next_cursor"]}
        return found[:MAX_TASKS]

    # -- nodes ---------------------------------------------------------------------------------

    async def load_context(self, state: State, runtime: Runtime[Context]) -> dict[str, Any]:
        turn = state.get("turn", 0) + 1
        # The message digest keeps keys apart when a turn number repeats (a crash before the
        # turn's checkpoint, two replicas serving one conversation), so a different message is
        # never mistaken for a replay; the same message retried still is one.
        digest = hashlib.sha256(state["message"].encode()).hexdigest()[:16]
        turn_key = f"{turn}-{digest}"
        return {**PER_TURN_RESET, "turn": turn, "turn_key": turn_key, "language": None}

    async def detect_intent(self, state: State, runtime: Runtime[Context]) -> Command[SkillNode]:
        u = await self._understand(state["message"], runtime.context)
        skill = route(u)
        return Command(
            goto=skill,
            update={"understanding": u.model_dump(mode="json"), "skill": skill,
                    "skill_result": None, "language": u.language},
        )  # fmt: skip

    def skill_node(self, name: str) -> Callable[[State, Runtime[Context]], Awaitable[dict]]:
        subgraph = _SKILLS[name]

        async def run_skill(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
            ctx = runtime.context
            out = await subgraph.ainvoke(
                {
                    "text": state["message"],
                    "understanding": state["understanding"],
                    "now": ctx.clock().isoformat(),
                    "timezone": ctx.timezone,
                    "locale": ctx.locale,
                }
            )
            return {"skill_result": out["result"]}

        run_skill.__name__ = name
        return run_skill

    async def validate(
        self, state: State, runtime: Runtime[Context]
    ) -> Command[Literal["execute", "audit"]]:
        ctx = runtime.context
        lang = _lang(state, ctx)
        u = Understanding.model_validate(state["understanding"])

        def ask(question: dict[str, Any]) -> Command:
            # Through audit first: a question is a decision too, and the audit node must run
            # before the interrupt (a resumed turn re-runs clarify, never what came before it).
            bulk = (question.get("plan") or {}).get("op") in _BULK_OPS
            outcome = "confirm" if bulk else "clarify"
            return Command(goto="audit", update={"question": question, "outcome": outcome})

        def stop(reply: str, outcome: str = "rejected") -> Command:
            return Command(goto="audit", update={"reply": reply, "outcome": outcome})

        # The policy says whether to act, answer, ask or confirm; the rest of this node finds
        # which question to ask and what the action is.
        planned = policy.planned_outcome(u, ctx.clarify_threshold)
        if u.intent in (Intent.HELP, Intent.UNKNOWN):
            key = "help" if u.intent is Intent.HELP else "unknown"
            return stop(say(lang, key), "answered")
        if u.intent is Intent.QUERY_TASKS:
            plan = {"op": "list", "args": plans.query_args(u.query, ctx.timezone)}
            return Command(goto="execute", update={"plan": plan})

        if u.intent is Intent.CREATE_TASK:
            if "title" in u.missing or not u.task.title:
                return ask(_question("title", say(lang, "ask_title")))
            if "when" in u.missing:
                return ask(_question("when", say(lang, "ask_when")))
            plan = {"op": "create", "understanding": u.model_dump(mode="json")}
            if planned == "clarify":  # nothing missing: too unsure to add it unasked
                text = say(lang, "ask_confirm_create", title=u.task.title)
                return ask(_question("confirm", text, plan=plan))
            return Command(goto="execute", update={"plan": plan})

        # Everything else acts on existing task(s).
        target, problem = await self._target(u, state, ctx, lang)
        if problem is not None:
            return problem if isinstance(problem, Command) else ask(problem)
        assert target is not None
        if isinstance(target, list):  # bulk: always confirm first
            op = "delete_many" if u.intent is Intent.DELETE_TASK else "complete_many"
            plan = {"op": op, "task_ids": [t["id"] for t in target]}
            text = say(lang, f"ask_confirm_{op}", count=len(target))
            return ask(_question("confirm", text, plan=plan))
        if u.intent is Intent.SET_REMINDER and (u.reminder is None or "when" in u.missing):
            return ask(_question("when", say(lang, "ask_when"), task=target))
        if _needs_due(u) and not target.get("due"):
            # "remind me 30 minutes before the dentist", "postpone it by 2 days": relative to a
            # due time the task does not have, so ask for the moment instead of failing the call
            if u.intent is Intent.SET_REMINDER:
                text = say(lang, "ask_when_no_due", title=target["title"])
                return ask(_question("when", text, task=target))
            text = say(lang, "ask_changes", title=target["title"])
            return ask(_question("changes", text, task=target))
        if u.intent is Intent.UPDATE_TASK and "changes" in u.missing:
            text = say(lang, "ask_changes", title=target["title"])
            return ask(_question("changes", text, task=target))
        op = {
            Intent.UPDATE_TASK: "update", Intent.COMPLETE_TASK: "complete",
            Intent.REOPEN_TASK: "reopen", Intent.DELETE_TASK: "delete",
            Intent.SET_REMINDER: "set_reminder",
        }[u.intent]  # fmt: skip
        plan = {"op": op, "task": target, "understanding": u.model_dump(mode="json")}
        if planned == "clarify" and not state.get("plan"):
            # Too unsure to change a task on our own: say what we would do and let them confirm
            # (unless they just picked the task themselves).
            text = say(lang, f"ask_confirm_{op}", title=target["title"])
            return ask(_question("confirm", text, plan=plan))
        return Command(goto="execute", update={"plan": plan})

    async def _target(
        self, u: Understanding, state: State, ctx: Context, lang: str
    ) -> tuple[dict[str, Any] | list[dict[str, Any]] | None, dict[str, Any] | Command | None]:
        """The task(s) the message points at, or the question / refusal to send instead."""
        pinned = (state.get("plan") or {}).get("pinned")
        if pinned is not None:
            return pinned, None
        ref = u.target or TaskRef()
        status = "done" if u.intent is Intent.REOPEN_TASK else "open"
        if ref.all_tasks:
            deleting = u.intent is Intent.DELETE_TASK
            tasks = await self._tasks(ctx, "all" if deleting else "open")
            if not tasks:
                nothing = "nothing_to_delete" if deleting else "nothing_to_complete"
                update = {"reply": say(lang, nothing), "outcome": "rejected"}
                return None, Command(goto="audit", update=update)
            return tasks, None
        if ref.pronoun or (not ref.text and state.get("last_task_id")):
            if last := state.get("last_task_id"):
                deps = await self._deps()
                try:
                    task = await deps.toolbox.call(
                        "get_task", {"task_id": last}, CallBinding(ctx.user_id)
                    )
                    return task, None
                except ToolFailed:  # deleted since (through another client)
                    pass
            return None, _question("target", say(lang, "no_last"))
        if not ref.text:
            return None, _question("target", say(lang, "ask_target"))
        found = resolve(ref.text, await self._tasks(ctx, status))
        if found.task is not None:
            return found.task, None
        if found.ambiguous:
            options = task_lines(found.candidates, ctx.timezone, lang)
            return None, _question(
                "which", say(lang, "ask_which", options=options), candidates=found.candidates
            )
        refusal = Command(
            goto="audit",
            update={"reply": say(lang, "no_match", text=ref.text), "outcome": "rejected"},
        )
        return None, refusal

    async def clarify(
        self, state: State, runtime: Runtime[Context]
    ) -> Command[
        Literal["validate", "execute", "detect_intent", "audit", "clarify",
                "task_skill", "reminder_skill", "recurring_skill"]
    ]:  # fmt: skip
        question = state["question"] or {}
        # Resuming re-runs this node from the top; nothing before interrupt() has effects.
        answer = str(interrupt(question)).strip()
        ctx = runtime.context
        lang = _lang(state, ctx)
        kind = question.get("kind")
        u = Understanding.model_validate(state["understanding"])

        if kind == "confirm":
            if plans.yes(answer):
                return Command(goto="execute", update={"plan": question["plan"], "question": None})
            if plans.no(answer):
                return Command(
                    goto="audit",
                    update={"reply": say(lang, "cancelled"), "outcome": "rejected",
                            "question": None},
                )  # fmt: skip
            return Command(goto="detect_intent", update={"message": answer, "question": None})

        if kind == "which":
            chosen = pick(answer, question.get("candidates", []))
            if chosen is None:
                return Command(goto="detect_intent", update={"message": answer, "question": None})
            plan = {**(state.get("plan") or {}), "pinned": chosen}
            return Command(goto="validate", update={"plan": plan, "question": None})

        reply = await self._understand(answer, ctx)
        if reply.intent not in (Intent.CREATE_TASK, Intent.UNKNOWN) and reply.confidence >= 0.85:
            # Not an answer but a new command: the user moved on.
            return Command(goto="detect_intent", update={"message": answer, "question": None})

        if kind == "title":
            fields = u.task.model_copy(update={"title": reply.task.title or answer})
            u = u.model_copy(
                update={
                    "task": fields,
                    "confidence": 1.0,
                    "missing": [m for m in u.missing if m != "title"],
                }
            )
        elif kind == "target":
            u = u.model_copy(
                update={
                    "target": TaskRef(text=answer),
                    "missing": [m for m in u.missing if m != "target"],
                }
            )
        elif kind == "when":
            reminder = reply.reminder
            if reminder is None and reply.task.due_date is not None:
                reminder = plans.ReminderSpec(
                    at_date=reply.task.due_date, at_time=reply.task.due_time
                )
            if reminder is None:
                return Command(goto="clarify", update={"question": question})
            u = u.model_copy(
                update={"reminder": reminder, "missing": [m for m in u.missing if m != "when"]}
            )
        elif kind == "changes":
            changes = reply.task.model_dump(exclude_defaults=True)
            if not changes:
                return Command(goto="clarify", update={"question": question})
            if "title" in changes and reply.intent is Intent.CREATE_TASK and len(changes) == 1:
                changes = {"title": changes["title"]}
            fields = u.task.model_copy(update=changes)
            u = u.model_copy(
                update={"task": fields, "missing": [m for m in u.missing if m != "changes"]}
            )
        plan = state.get("plan") or {}
        if question.get("task") is not None:
            plan = {**plan, "pinned": question["task"]}
        # Back through the skill, so its output (and the audit record) reflects the answer.
        skill = state.get("skill")
        return Command(
            goto=skill if skill in _SKILLS else "validate",
            update={"understanding": u.model_dump(mode="json"), "question": None, "plan": plan},
        )

    async def execute(self, state: State, runtime: Runtime[Context]) -> dict[str, Any]:
        ctx = runtime.context
        lang = _lang(state, ctx)
        plan = state["plan"] or {}
        deps = await self._deps()
        calls: list[dict[str, Any]] = []

        async def call(tool: str, args: dict[str, Any], op: str) -> dict[str, Any]:
            binding = self._binding(ctx, state, op)
            entry = {"name": tool, "arguments": args, "idempotency_key": binding.idempotency_key}
            try:
                result = await deps.toolbox.call(tool, args, binding)
            except ToolFailed as exc:
                calls.append({**entry, "ok": False, "error": str(exc)})
                raise
            calls.append({**entry, "ok": True})
            return result

        try:
            return await self._run_plan(plan, ctx, lang, call) | {"tool_calls": calls}
        except ToolFailed as exc:
            return {"reply": say(lang, "failed", error=str(exc)), "outcome": "rejected",
                    "tool_calls": calls}  # fmt: skip

    async def _run_plan(self, plan, ctx: Context, lang: str, call) -> dict[str, Any]:
        tz = ctx.timezone
        op = plan["op"]
        if op == "list":
            found = await call("list_tasks", plan["args"], "list")
            tasks = by_time(found["tasks"])
            reply = (say(lang, "listed", count=len(tasks), lines=task_lines(tasks, tz, lang))
                     if tasks else say(lang, "listed_none"))  # fmt: skip
            return {"reply": reply, "tasks": tasks, "outcome": "answered"}
        if op in _BULK_OPS:
            tool = "delete_task" if op == "delete_many" else "complete_task"
            action = tool.removesuffix("_task") + "d"  # "deleted" / "completed"
            done = [await call(tool, {"task_id": tid}, f"{op}:{tid}") for tid in plan["task_ids"]]
            return {
                "reply": say(lang, f"{action}_many", count=len(done)),
                "tasks": done,
                "actions": [{"action": action, "task_id": t["id"]} for t in done],
                "outcome": "executed",
                "last_task_id": None,
            }

        u = Understanding.model_validate(plan["understanding"]) if "understanding" in plan else None
        if op == "create":
            assert u is not None
            rrule = u.recurrence.rrule if u.recurrence else None
            fields = u.task
            if u.recurrence is not None and fields.due_date is None:
                start = u.recurrence.dtstart
                fields = fields.model_copy(
                    update={"due_date": start.date(), "due_time": start.time()}
                )
            args = plans.create_args(fields, tz, rrule=rrule)
            offset = u.reminder.offset_minutes if u.reminder is not None else None
            if offset is not None and fields.due_date is not None:
                args["reminder_offsets_minutes"] = [offset]
            task = await call("create_task", args, "create")
            if u.reminder is not None and u.reminder.at_date is not None:
                task = await call("set_reminder", {"task_id": task["id"],
                                                   **plans.reminder_args(u.reminder, tz)},
                                  "create:reminder")  # fmt: skip
            if rrule:
                upcoming = _next_dates(task, tz, lang, count=3)
                reply = say(lang, "created_recurring", title=task["title"],
                            rule=u.recurrence.phrase or rrule, next=upcoming)  # fmt: skip
            else:
                reply = say(lang, "created", title=task["title"], due=due_suffix(task, tz, lang))
            return _done("created", task, reply)

        target = plan["task"]
        tid = target["id"]
        if op == "update":
            assert u is not None
            args = {"task_id": tid, **plans.update_args(u.task, target, tz)}
            if u.recurrence is not None:
                args["rrule"] = u.recurrence.rrule
            task = target
            if len(args) > 1:
                task = await call("update_task", args, "update")
            if u.reminder is not None:
                task = await call("set_reminder", {"task_id": tid,
                                                   **plans.reminder_args(u.reminder, tz)},
                                  "update:reminder")  # fmt: skip
            reply = say(lang, "updated", title=task["title"], due=due_suffix(task, tz, lang))
            return _done("updated", task, reply)
        if op == "set_reminder":
            assert u is not None
            assert u.reminder is not None
            args = {"task_id": tid, **plans.reminder_args(u.reminder, tz)}
            task = await call("set_reminder", args, "set_reminder")
            if u.reminder.offset_minutes:
                phrase = say(
                    lang, "reminder_offset", minutes=minutes_phrase(u.reminder.offset_minutes, lang)
                )
            elif u.reminder.offset_minutes == 0:
                phrase = say(lang, "reminder_due")
            else:
                phrase = say(lang, "reminder_at", at=when(args["at"], tz, lang))
            return _done(
                "reminder_set", task, say(lang, "reminder_set", title=task["title"], when=phrase)
            )
        tool = {"complete": "complete_task", "reopen": "reopen_task", "delete": "delete_task"}[op]
        task = await call(tool, {"task_id": tid}, op)
        key = {"complete": "completed", "reopen": "reopened", "delete": "deleted"}[op]
        reply = say(lang, key, title=task["title"])
        if op == "complete" and task.get("recurrence"):
            upcoming = _next_dates(task, tz, lang, count=1, after_due=True)
            if upcoming:
                reply = say(lang, "completed_next", title=task["title"], next=upcoming)
        result = _done(key, task, reply)
        if op == "delete":
            result["last_task_id"] = None
        return result

    async def audit(
        self, state: State, runtime: Runtime[Context]
    ) -> Command[Literal["clarify", "respond"]]:
        ctx = runtime.context
        outcome = state.get("outcome", "answered")
        out = await audit_skill.ainvoke(
            {
                "understanding": state["understanding"],
                "outcome": outcome,
                "tool_calls": state.get("tool_calls", []),
                "conversation_id": ctx.conversation_id,
                **({"skill_output": state["skill_result"]} if state.get("skill_result") else {}),
            }
        )
        deps = await self._deps()
        if deps.outbox is not None:
            await deps.outbox.emit(
                uuid.UUID(ctx.user_id),
                Topic.AUDIT_EVENTS,
                EventType.AGENT_DECISION,
                f"conversation/{ctx.conversation_id}",
                out["decision"],
                Meta(correlation_id=ctx.correlation_id, source="/todo-agent/graph"),
                event_id=_decision_id(ctx, state, out["decision"]),
            )
        pending = outcome in ("clarify", "confirm") and state.get("question")
        return Command(goto="clarify" if pending else "respond")

    async def respond(self, state: State, runtime: Runtime[Context]) -> dict[str, Any]:
        # A question never gets here: it ends the run at the clarify node's interrupt.
        lang = _lang(state, runtime.context)
        return {"reply": state.get("reply") or say(lang, "unknown"), "language": lang}


def _decision_id(ctx: Context, state: State, decision: dict[str, Any]) -> str:
    """The same decision of the same turn gets the same event id, so a replayed audit step
    (a turn re-run after a crash) is one entry in the trail, not two."""
    body = json.dumps(decision, sort_keys=True, ensure_ascii=False)
    name = f"{ctx.conversation_id}:{state.get('turn_key', '')}:{body}"
    return str(uuid.uuid5(_DECISION_NAMESPACE, name))


def _done(action: str, task: dict[str, Any], reply: str) -> dict[str, Any]:
    return {
        "reply": reply,
        "tasks": [task],
        "actions": [{"action": action, "task_id": task["id"]}],
        "outcome": "executed",
        "last_task_id": task["id"],
    }


def _next_dates(
    task: dict[str, Any], tz: str, lang: str, *, count: int, after_due: bool = False
) -> str:
    rule = (task.get("recurrence") or {}).get("rrule")
    if not rule or not task.get("due"):
        return ""
    due = datetime.fromisoformat(task["due"])
    start = due.astimezone(zone(tz)).replace(tzinfo=None)
    if after_due:
        nxt = next_occurrence(rule, start, tz, after=due)
        found = [nxt] if nxt else []
    else:
        found = occurrences(rule, start, tz, count=count)
    all_day = task.get("all_day", False)
    return ", ".join(when(o, tz, lang, all_day=all_day) for o in found)


def _needs_due(u: Understanding) -> bool:
    """An offset reminder or a shift is measured from the task's due time."""
    if u.intent is Intent.SET_REMINDER:
        return u.reminder is not None and u.reminder.offset_minutes is not None
    if u.intent is Intent.UPDATE_TASK:
        return bool(u.task.shift_minutes) and u.task.due_date is None
    return False
