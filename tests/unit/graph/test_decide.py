"""Every branch of the turn's decision and of reading an answer, without Postgres or MCP:
`decide` and `read_answer` are pure, their inputs are an understanding and what was looked up."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from graph.decide import Facts, Lookup, decide, lookup_for, needs_reading, read_answer
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
    decision_of,
)
from graph.policy import Policy
from graph.replies import question_text
from skills.recurring.graph import propose as recurring
from skills.reminder.graph import propose as reminder
from skills.routing import skill_for
from skills.task.graph import propose as task
from skills.understanding import ParseContext, Understanding, understand_sync

TZ = "Asia/Karachi"
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo(TZ))  # a Wednesday
POLICY = Policy()
MILK = TaskSnapshot(id="1", title="buy milk")
DENTIST = TaskSnapshot(id="2", title="call the dentist", due="2026-11-27T04:00:00+00:00")
BILLS = [TaskSnapshot(id="3", title="pay electricity bill"),
         TaskSnapshot(id="4", title="pay water bill")]  # fmt: skip


def understood(text: str, locale: str = "en") -> Understanding:
    return understand_sync(text, ParseContext(now=NOW, timezone=TZ, locale=locale))


def proposal(u: Understanding):
    skill = skill_for(u)
    if skill == "reminder":
        return reminder(u, TZ)
    if skill == "recurring":
        return recurring(u, TZ)
    return task(u) if skill == "task" else None


def decided(
    text: str, tasks: list[TaskSnapshot] = (), *, last: str | None = None, pinned: bool = False,
    policy: Policy = POLICY,
):  # fmt: skip
    u = understood(text)
    lookup = lookup_for(u, pinned=pinned, last_task_id=last)
    return decide(u, proposal(u), lookup, Facts(list(tasks)), policy=policy, tz=TZ)


def test_help_unknown_and_queries_are_answered_without_a_lookup() -> None:
    assert decided("help") == Answer(code="help")
    assert decided("thanks") == Answer(code="unknown")
    listed = decided("what's due today?")
    assert isinstance(listed, ListTasks)
    assert lookup_for(understood("what's due today?"), pinned=False, last_task_id="1").kind == (
        "none"
    )


def test_a_create_is_planned_from_the_skill_proposal() -> None:
    plan = decided("buy milk tomorrow at 5pm #shopping p1")
    assert isinstance(plan, CreateTask)
    assert plan.fields.title == "buy milk"
    assert plan.fields.priority == 1


def test_a_create_without_a_title_asks_for_one() -> None:
    assert decided("add a task for tomorrow") == AskTitle()


def test_an_unsure_create_asks_to_confirm() -> None:
    strict = Policy(clarify_threshold=0.99)
    asked = decided("buy milk", policy=strict)
    assert isinstance(asked, Confirm)
    assert isinstance(asked.plan, CreateTask)
    assert "buy milk" in question_text(asked, TZ, "en")


def test_a_reference_resolves_among_the_candidates() -> None:
    plan = decided("mark buy milk as done", [MILK, DENTIST])
    assert plan == ChangeStatus(kind="complete", task=MILK)


def test_an_ambiguous_reference_asks_which_one() -> None:
    asked = decided("delete pay bill", BILLS)
    assert isinstance(asked, AskWhich)
    assert [c.id for c in asked.candidates] == ["3", "4"]
    assert "1." in question_text(asked, TZ, "ur")


def test_a_reference_that_matches_nothing_is_refused() -> None:
    refused = decided("delete the passport renewal", [MILK])
    assert refused == Answer(
        code="no_match", values={"text": "passport renewal"}, outcome="rejected"
    )


def test_it_without_a_task_talked_about_asks_which_task() -> None:
    assert decided("delete it") == AskTarget(lost_track=True)
    u = understood("delete it")
    assert lookup_for(u, pinned=False, last_task_id="1") == Lookup("last")
    assert decided("delete it", [MILK], last="1") == ChangeStatus(kind="delete", task=MILK)


def test_bulk_changes_are_always_confirmed_and_nothing_to_change_is_said() -> None:
    asked = decided("delete all my tasks", [MILK, DENTIST])
    assert asked == Confirm(plan=BulkChange(kind="delete_many", task_ids=["1", "2"]))
    assert "2" in question_text(asked, TZ, "en")
    assert decided("mark all my tasks as done") == Answer(
        code="nothing_to_complete", outcome="rejected"
    )


def test_a_reminder_without_a_time_asks_when() -> None:
    asked = decided("remind me about the dentist", [DENTIST])
    assert asked == AskWhen(task=DENTIST)


def test_an_update_without_changes_asks_what_to_change() -> None:
    asked = decided("change the dentist", [DENTIST])
    assert asked == AskChanges(task=DENTIST)
    moved = decided("move the dentist to friday", [DENTIST])
    assert isinstance(moved, UpdateTask)
    assert moved.fields.due_date is not None


def test_a_weekly_reminder_reminds_on_that_weekday_and_hour() -> None:
    plan = decided("remind me about the dentist every monday at 9", [DENTIST])
    assert isinstance(plan, SetReminder)
    assert plan.recurrence is not None
    assert "BYDAY=MO" in plan.recurrence.rrule
    assert plan.offset_minutes == 0
    local = [m.astimezone(ZoneInfo(TZ)) for m in plan.moments]
    assert local
    assert all(m.weekday() == 0 and (m.hour, m.minute) == (9, 0) for m in local)


def test_a_recurring_create_carries_the_rule_and_its_next_occurrences() -> None:
    plan = decided("pay rent every 1st at 9am")
    assert isinstance(plan, CreateTask)
    assert plan.rrule == "FREQ=MONTHLY;BYMONTHDAY=1"
    assert [o.astimezone(ZoneInfo(TZ)).day for o in plan.upcoming] == [1, 1, 1]


def test_remind_me_to_x_at_a_time_is_the_reminder_skills_and_reminds_at_due() -> None:
    u = understood("remind me to call mom tomorrow 5pm")
    assert skill_for(u) == "reminder"
    plan = decided("remind me to call mom tomorrow 5pm")
    assert isinstance(plan, CreateTask)
    assert plan.reminder_offsets == [0]


# -- answers ----------------------------------------------------------------------------------


def answered(question, answer: str, about: str):
    u = understood(about)
    reply = understood(answer) if needs_reading(question) else None
    return read_answer(question, answer, u, reply, policy=POLICY)


def test_confirm_yes_runs_the_plan_no_cancels_and_anything_else_is_a_new_command() -> None:
    plan = ChangeStatus(kind="delete", task=MILK)
    assert answered(Confirm(plan=plan), "yes", "delete milk").decision == plan
    assert answered(Confirm(plan=plan), "ہاں", "delete milk").decision == plan
    cancelled = answered(Confirm(plan=plan), "نہیں", "delete milk").decision
    assert cancelled == Answer(code="cancelled", outcome="rejected")
    assert answered(Confirm(plan=plan), "show my tasks", "delete milk").message == "show my tasks"


def test_which_takes_a_number_or_a_name_else_it_is_a_new_command() -> None:
    q = AskWhich(candidates=BILLS)
    assert answered(q, "2", "delete pay bill").pinned == BILLS[1]
    assert answered(q, "۱", "delete pay bill").pinned == BILLS[0]
    assert answered(q, "pay water bill", "delete pay bill").pinned == BILLS[1]
    assert answered(q, "add buy eggs", "delete pay bill").message == "add buy eggs"


def test_a_title_answer_completes_the_create() -> None:
    resume = answered(AskTitle(), "renew passport", "add a task for tomorrow")
    assert resume.understanding is not None
    assert resume.understanding.task.title == "renew passport"
    assert "title" not in resume.understanding.missing


def test_a_target_answer_becomes_the_reference() -> None:
    resume = answered(AskTarget(), "buy milk", "delete it")
    assert resume.understanding is not None
    assert resume.understanding.target.text == "buy milk"


def test_a_when_answer_sets_the_reminder_and_no_time_asks_again() -> None:
    q = AskWhen(task=DENTIST)
    resume = answered(q, "tomorrow at 8am", "remind me about the dentist")
    assert resume.understanding is not None
    assert resume.understanding.reminder is not None
    assert resume.pinned == DENTIST
    assert answered(q, "hmm", "remind me about the dentist").decision == q


def test_a_changes_answer_updates_and_an_empty_one_asks_again() -> None:
    q = AskChanges(task=DENTIST)
    resume = answered(q, "friday", "change the dentist")
    assert resume.understanding is not None
    assert resume.understanding.task.due_date is not None
    assert answered(q, "hmm", "change the dentist").decision == q


def test_a_confident_command_given_as_an_answer_moves_on() -> None:
    assert answered(AskTitle(), "delete buy milk", "add a task").message == "delete buy milk"


@pytest.mark.parametrize(
    "decision",
    [AskTitle(), AskWhen(task=MILK), AskTarget(lost_track=True), AskChanges(task=MILK),
     AskWhich(candidates=BILLS), Confirm(plan=BulkChange(kind="complete_many", task_ids=["1"])),
     Confirm(plan=ChangeStatus(kind="reopen", task=MILK)), Answer(code="help")],
)  # fmt: skip
def test_decisions_survive_the_checkpoint_as_json_and_every_question_is_worded(decision) -> None:
    assert decision_of(decision.model_dump(mode="json")) == decision
    if not isinstance(decision, Answer):
        for lang in ("en", "ur"):
            assert question_text(decision, TZ, lang)


def test_an_unsure_change_is_confirmed_unless_the_user_picked_the_task() -> None:
    strict = Policy(clarify_threshold=0.99)
    asked = decided("mark buy milk as done", [MILK], policy=strict)
    assert asked == Confirm(plan=ChangeStatus(kind="complete", task=MILK))
    assert "buy milk" in question_text(asked, TZ, "ur")
    picked = decided("mark buy milk as done", [MILK], pinned=True, policy=strict)
    assert picked == ChangeStatus(kind="complete", task=MILK)


# -- issue 11: finished today, undo a move, one occurrence or every one ---------------------

GYM = TaskSnapshot(
    id="5", title="gym", due="2026-11-30T04:00:00+00:00",  # Monday 9:00 in Karachi
    recurrence={"rrule": "FREQ=WEEKLY;BYDAY=MO"},
)  # fmt: skip


def test_what_did_i_finish_today_is_about_when_tasks_were_done() -> None:
    for text, locale in (("what did I finish today?", "en"), ("آج کے مکمل کام دکھاؤ", "ur")):
        u = understood(text, locale)
        plan = decide(u, None, Lookup("none"), Facts(), policy=POLICY, tz=TZ)
        assert isinstance(plan, ListTasks)
        assert plan.done_from == plan.done_to == NOW.date()
        assert "due_from" not in plan.args or plan.args["due_from"] is None


def test_undo_right_after_a_move_offers_to_move_it_back() -> None:
    moved = DENTIST.model_copy(update={"due": "2026-11-28T04:00:00+00:00"})
    before = {"task_id": "2", "title": DENTIST.title, "due": DENTIST.due, "all_day": False}
    u = understood("undo")
    lookup = lookup_for(u, pinned=False, last_task_id="2")
    asked = decide(u, None, lookup, Facts([moved], last_change=before), policy=POLICY, tz=TZ)
    assert isinstance(asked, Confirm)
    assert isinstance(asked.plan, UpdateTask)
    assert asked.plan.undo
    assert asked.plan.fields.due_date.isoformat() == "2026-11-27"
    assert "Fri 27 Nov" in question_text(asked, TZ, "en")
    # after a completion (no change to put back) "undo" reopens it, as before
    done = MILK.model_copy(update={"status": "done"})
    reopen = decide(u, None, lookup, Facts([done]), policy=POLICY, tz=TZ)
    assert reopen == Confirm(plan=ChangeStatus(kind="reopen", task=done))


def test_moving_a_weekly_task_asks_this_one_or_every_one() -> None:
    asked = decided("move the gym to friday", [GYM])
    assert isinstance(asked, AskScope)
    assert asked.this_one.rrule is None
    assert asked.every_one.rrule == "FREQ=WEEKLY;BYDAY=FR"
    assert "every one" in question_text(asked, TZ, "en")
    assert "ہر بار" in question_text(asked, TZ, "ur")
    answers = (("just this one", asked.this_one), ("صرف یہ والا", asked.this_one),
               ("every one", asked.every_one), ("ہر بار", asked.every_one))  # fmt: skip
    for answer, chosen in answers:
        assert answered(asked, answer, "move the gym to friday").decision == chosen
    assert answered(asked, "show my tasks", "move the gym").message == "show my tasks"
    assert isinstance(decided("move the dentist to friday", [DENTIST]), UpdateTask)
