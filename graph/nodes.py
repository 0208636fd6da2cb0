"""The orchestrator's nodes: understand → skill → decide → act → audit, and clarify.

Each node does one thing and leaves the routing to graph.py. Side effects happen only in act
(tools) and audit (outbox), both after any interrupt, so a resumed or replayed step never acts
twice (tool calls also carry an idempotency key derived from the conversation, the turn and the
operation).
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from domain.events import EventType, Topic
from domain.models import Status
from domain.store import Meta, Outbox, TaskStore
from graph import act
from graph.context import Context
from graph.decide import Facts, Lookup, Resume, decide, lookup_for, needs_reading, read_answer
from graph.plan import Answer, BulkChange, Confirm, TaskSnapshot, decision_of, is_plan, is_question
from graph.policy import Policy
from graph.references import clean
from graph.replies import error, question_options, question_text, say
from graph.state import FINISHED_TURN_CLEARED, PER_TURN_RESET, State
from skills.audit.graph import AuditSkillState
from skills.audit.graph import decide as audit_decision
from skills.recurring.graph import RecurringSkillResult
from skills.recurring.graph import shape as recurring_shape
from skills.reminder.graph import ReminderSkillResult
from skills.reminder.graph import shape as reminder_shape
from skills.routing import skill_for
from skills.task.graph import TaskSkillResult
from skills.task.graph import shape as task_shape
from skills.understanding import ParseContext, Understander, Understanding, UnderstandingUnavailable
from skills.understanding.factory import make_understander
from tools.client import CallBinding, ToolFailed

log = logging.getLogger(__name__)
_DECISION_NAMESPACE = uuid.UUID("5b0e7c55-4f0a-4d36-9a49-0f6f3c1d2a77")
# Each skill subgraph is one step, `shape` (skills/common.py); the orchestrator runs that step
# itself, with the subgraph's own input and output, instead of starting a nested graph run for
# it: measured in bench/bench_chat.py, a nested run costs ~100x the step it wraps. The subgraphs
# are what Studio and the evals run; the code and the contract are the same.
SKILLS = {"task": task_shape, "reminder": reminder_shape, "recurring": recurring_shape}
_PROPOSALS: dict[str, type[TaskSkillResult | ReminderSkillResult | RecurringSkillResult]] = {
    "task": TaskSkillResult, "reminder": ReminderSkillResult, "recurring": RecurringSkillResult,
}  # fmt: skip


class Tools(Protocol):
    async def call(
        self, name: str, args: dict[str, Any], binding: CallBinding
    ) -> dict[str, Any]: ...


@dataclass
class Deps:
    """What the nodes act through; built by the API's lifespan (or lazily for Studio).
    `tasks` serves the decide step's reads (references, bulk changes) straight from Postgres."""

    toolbox: Tools
    outbox: Outbox | None = None
    tasks: TaskStore | None = None


DepsProvider = Callable[[], Awaitable[Deps]]


def _lang(state: State, ctx: Context) -> str:
    return state.get("language") or ctx.locale


def _policy(ctx: Context) -> Policy:
    return Policy(clarify_threshold=ctx.clarify_threshold)


def _view(task: Any) -> dict[str, Any]:
    return task.model_dump(mode="json", exclude={"owner_id"})


class Orchestrator:
    def __init__(self, deps: DepsProvider) -> None:
        self._deps = deps
        self._understanders: dict[tuple[str, str, str, float], Understander] = {}

    # -- helpers -------------------------------------------------------------------------------

    def _understander(self, ctx: Context) -> Understander:
        key = (ctx.nlu_backend, ctx.ollama_base_url, ctx.ollama_model, ctx.ollama_budget_seconds)
        if key not in self._understanders:
            self._understanders[key] = make_understander(
                ctx.nlu_backend,
                ollama_base_url=ctx.ollama_base_url,
                ollama_model=ctx.ollama_model,
                ollama_budget_seconds=ctx.ollama_budget_seconds,
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
            rules = replace(ctx, nlu_backend="rules")
            return await self._understander(rules).understand(text, parse_ctx)

    @staticmethod
    def _binding(ctx: Context, state: State, op: str) -> CallBinding:
        turn = state.get("turn_key") or str(state.get("turn", 0))
        key = f"{ctx.conversation_id}:{turn}:{op}" if ctx.conversation_id else None
        return CallBinding(ctx.user_id, idempotency_key=key, correlation_id=ctx.correlation_id)

    async def _facts(self, lookup: Lookup, state: State, ctx: Context, policy: Policy) -> Facts:
        """Exactly what the decision needs to see: never the whole task list."""
        if lookup.kind == "pinned":
            return Facts([TaskSnapshot.model_validate(state["pinned"])])
        deps = await self._deps()
        owner = uuid.UUID(ctx.user_id)
        status = None if lookup.status == "all" else Status(lookup.status)
        if lookup.kind == "last":
            try:
                got = await deps.toolbox.call(
                    "get_task", {"task_id": state.get("last_task_id")}, CallBinding(ctx.user_id)
                )
            except ToolFailed:  # deleted since (through another client), or never was
                return Facts()
            return Facts([TaskSnapshot.model_validate(got)])
        if lookup.kind == "bulk":
            assert deps.tasks is not None, "bulk changes need the task store"
            ids = await deps.tasks.ids(owner, status=status, limit=policy.bulk_limit)
            return Facts([TaskSnapshot(id=str(i), title="") for i in ids])
        if lookup.kind == "search":
            assert deps.tasks is not None, "references need the task store"
            found = await deps.tasks.search(
                owner, clean(lookup.text) or lookup.text, status=status, limit=policy.candidates
            )
            return Facts([TaskSnapshot.model_validate(_view(t)) for t in found])
        return Facts()

    # -- nodes ---------------------------------------------------------------------------------

    async def understand(self, state: State, runtime: Runtime[Context]) -> dict[str, Any]:
        """A new turn (or a new command given as an answer): understood once, skill chosen."""
        turn = state.get("turn", 0) + 1
        # The message digest keeps keys apart when a turn number repeats (a crash before the
        # turn's checkpoint, two replicas serving one conversation), so a different message is
        # never mistaken for a replay; the same message retried still is one.
        digest = hashlib.sha256(state["message"].encode()).hexdigest()[:16]
        u = await self._understand(state["message"], runtime.context)
        return {
            **PER_TURN_RESET, "turn": turn, "turn_key": f"{turn}-{digest}",
            "understanding": u.model_dump(mode="json"), "skill": skill_for(u),
            "language": u.language,
        }  # fmt: skip

    async def run_skill(self, state: State, runtime: Runtime[Context]) -> dict[str, Any]:
        """The turn's skill subgraph: its typed proposal is what decide and act use."""
        ctx = runtime.context
        skill, understanding = state["skill"], state["understanding"]
        assert skill in SKILLS  # route_skill sent us here
        assert understanding is not None
        out = SKILLS[skill](
            {
                "text": state["message"],
                "understanding": understanding,
                "now": ctx.clock().isoformat(),
                "timezone": ctx.timezone,
                "locale": ctx.locale,
            }
        )
        return {"skill_result": out["result"]}

    async def decide(self, state: State, runtime: Runtime[Context]) -> dict[str, Any]:
        ctx = runtime.context
        policy = _policy(ctx)
        u = Understanding.model_validate(state["understanding"])
        proposal = None
        if (kind := _PROPOSALS.get(state.get("skill") or "")) and state.get("skill_result"):
            proposal = kind.model_validate(state["skill_result"])
        lookup = lookup_for(
            u, pinned=state.get("pinned") is not None, last_task_id=state.get("last_task_id")
        )
        facts = await self._facts(lookup, state, ctx, policy)
        if lookup.kind == "last":
            facts = Facts(facts.tasks, last_change=state.get("last_change"))
        decision = decide(u, proposal, lookup, facts, policy=policy, tz=ctx.timezone)
        return _decided(decision, _lang(state, ctx), ctx.timezone)

    async def act(self, state: State, runtime: Runtime[Context]) -> dict[str, Any]:
        ctx = runtime.context
        lang = _lang(state, ctx)
        plan = decision_of(state["decision"])
        deps = await self._deps()
        calls: list[dict[str, Any]] = []

        async def call(tool: str, args: dict[str, Any], op: str) -> dict[str, Any]:
            binding = self._binding(ctx, state, op)
            entry = {"name": tool, "arguments": args, "idempotency_key": binding.idempotency_key}
            try:
                result = await deps.toolbox.call(tool, args, binding)
            except ToolFailed as exc:
                calls.append({**entry, "ok": False, "error": exc.code})
                raise
            calls.append({**entry, "ok": True})
            return result

        try:
            done = await act.HANDLERS[plan.kind](plan, act.Turn(call, ctx.timezone, lang))
        except ToolFailed as exc:
            log.info("tool refused", extra={"code": exc.code, "detail": str(exc)})
            done = {"reply": error(lang, exc.code, **exc.values), "outcome": "rejected"}
        return {**done, "tool_calls": calls}

    async def audit(self, state: State, runtime: Runtime[Context]) -> dict[str, Any]:
        """The decision, into the audit trail (before any interrupt: a resumed turn re-runs
        clarify, never what came before it); the reply and its language, settled."""
        ctx = runtime.context
        understanding = state["understanding"]
        assert understanding is not None  # every turn is understood before it is audited
        audit_in: AuditSkillState = {
            "understanding": understanding,
            "outcome": state.get("outcome", "answered"),
            "tool_calls": state.get("tool_calls") or [],
            "conversation_id": ctx.conversation_id,
        }
        if skill_output := state.get("skill_result"):
            audit_in["skill_output"] = skill_output
        out = await audit_decision(audit_in)
        deps = await self._deps()
        if deps.outbox is not None:
            await deps.outbox.emit(
                uuid.UUID(ctx.user_id), Topic.AUDIT_EVENTS, EventType.AGENT_DECISION,
                f"conversation/{ctx.conversation_id}", out["decision"],
                Meta(correlation_id=ctx.correlation_id, source="/todo-agent/graph"),
                event_id=_decision_id(ctx, state, out["decision"]),
            )  # fmt: skip
        lang = _lang(state, ctx)
        if state.get("question"):  # the turn ends asking: the question is its words
            return {"language": lang}
        reply = state.get("reply") or say(lang, "unknown")
        return {**FINISHED_TURN_CLEARED, "reply": reply, "language": lang}

    async def clarify(self, state: State, runtime: Runtime[Context]) -> dict[str, Any]:
        """Ask, and read the answer. Resuming re-runs this node from the top; nothing before
        interrupt() has effects."""
        question = decision_of(state["decision"])
        answer = str(interrupt(state["question"])).strip()
        ctx = runtime.context
        u = Understanding.model_validate(state["understanding"])
        reply = await self._understand(answer, ctx) if needs_reading(question) else None
        resume = read_answer(question, answer, u, reply, policy=_policy(ctx))
        return _resumed(resume, state, _lang(state, ctx), ctx.timezone)


def _decided(decision: Any, lang: str, tz: str) -> dict[str, Any]:
    """The decision into state: a plan for act, a worded question for clarify, or the reply."""
    update: dict[str, Any] = {"decision": decision.model_dump(mode="json")}
    if isinstance(decision, Answer):
        return {**update, "reply": say(lang, decision.code, **decision.values),
                "outcome": decision.outcome}  # fmt: skip
    if is_question(decision):
        bulk = isinstance(decision, Confirm) and isinstance(decision.plan, BulkChange)
        asked = {**update["decision"], "text": question_text(decision, tz, lang)}
        if (options := question_options(decision, lang)) is not None:
            asked["options"] = options
        return {**update, "question": asked, "outcome": "confirm" if bulk else "clarify"}
    assert is_plan(decision)
    return update


def _resumed(resume: Resume, state: State, lang: str, tz: str) -> dict[str, Any]:
    if resume.decision is not None:
        return {"question": None, **_decided(resume.decision, lang, tz)}
    if resume.message is not None:  # understood afresh as this turn's message
        return {"message": resume.message, "understanding": None, "decision": None,
                "question": None}  # fmt: skip
    assert resume.understanding is not None
    pinned = resume.pinned.view() if resume.pinned is not None else state.get("pinned")
    # The answer may change whose turn it is ("remind me to call mom" + "tomorrow at 5"
    # becomes the reminder skill's), so the skill is chosen again by the same rule.
    u = resume.understanding
    return {"understanding": u.model_dump(mode="json"), "decision": None, "question": None,
            "pinned": pinned, "skill": skill_for(u)}  # fmt: skip


def _decision_id(ctx: Context, state: State, decision: dict[str, Any]) -> str:
    """The same decision of the same turn gets the same event id, so a replayed audit step
    (a turn re-run after a crash) is one entry in the trail, not two."""
    body = json.dumps(decision, sort_keys=True, ensure_ascii=False)
    name = f"{ctx.conversation_id}:{state.get('turn_key', '')}:{body}"
    return str(uuid.uuid5(_DECISION_NAMESPACE, name))
