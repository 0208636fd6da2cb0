"""The recurring FastStream app: task.completed of a recurring task → its next instance.

The applied-event record, the next instance (with its own outbox events) and `recurring.generated`
commit in one transaction: the store and the outbox run on this handler's connection.
"""

from __future__ import annotations

import asyncpg

from consumers.common.dead_letter import PoisonMessage
from consumers.common.idempotency import first_delivery
from consumers.common.runtime import Runtime
from consumers.recurring.next_instance import NextInstance, plan_next
from domain.events import CloudEvent, EventType, Topic, task_subject
from domain.models import Task
from domain.store import Meta, NotFound, Outbox, TaskStore, transaction

SOURCE = "/todo-agent/recurring"


class RecurringApp:
    name = "recurring"

    def register(self, rt: Runtime) -> None:
        @rt.broker.subscriber(Topic.TASK_EVENTS.value, **rt.subscriber_options())
        async def on_task_event(event: CloudEvent) -> None:
            if event.type != EventType.TASK_COMPLETED or not _is_recurring(event):
                return
            task = Task.model_validate(event.data["task"])
            if str(task.owner_id) != event.userid:
                # The envelope's user is who acted; a task of someone else is never touched.
                raise PoisonMessage(f"task.completed of user {event.userid} for another's task")
            tz = await rt.pool.fetchval(
                "SELECT timezone FROM app.users WHERE id = $1", task.owner_id
            )
            if tz is None:
                return  # the account is gone, and its tasks with it
            plan = plan_next(task, tz)
            if plan is not None:  # None: UNTIL or COUNT reached
                await _generate(rt.pool, event, task, plan)

    async def start(self, rt: Runtime) -> None:
        return None

    async def stop(self) -> None:
        return None


def _is_recurring(event: CloudEvent) -> bool:
    task = event.data.get("task")
    return isinstance(task, dict) and bool((task.get("recurrence") or {}).get("rrule"))


async def _generate(pool: asyncpg.Pool, event: CloudEvent, task: Task, plan: NextInstance) -> None:
    meta = Meta(correlation_id=event.correlationid, traceparent=event.traceparent, source=SOURCE)
    async with transaction(pool) as conn:
        if not await first_delivery(conn, "recurring", event.id):
            return
        # Completing the same instance again (after a reopen) must not announce it twice. Scoped
        # to the owner like every query: only the owner's own row is the instance made before.
        if await conn.fetchval(
            "SELECT 1 FROM app.tasks WHERE id = $1 AND owner_id = $2", plan.task_id, task.owner_id
        ):
            return
        try:
            await TaskStore(conn).create(task.owner_id, plan.create, meta, task_id=plan.task_id)
        except NotFound as exc:
            # The deterministic id is taken, and not by this owner: nothing to create or read.
            raise PoisonMessage(f"next instance id {plan.task_id} is not this owner's") from exc
        await conn.execute(
            "UPDATE recurring.applied_events SET next_task_id = $2 WHERE event_id = $1",
            event.id,
            plan.task_id,
        )
        await Outbox(conn).emit(
            task.owner_id,
            Topic.AUDIT_EVENTS,
            EventType.RECURRING_GENERATED,
            task_subject(plan.task_id),
            {
                "series_id": str(plan.series_id),
                "completed_task_id": str(task.id),
                "task_id": str(plan.task_id),
                "occurrence": plan.occurrence,
                "due": plan.create.due.isoformat() if plan.create.due else None,
                "rrule": task.recurrence.rrule if task.recurrence else None,
            },
            meta,
        )
