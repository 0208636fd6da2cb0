"""Each skill subgraph alone, as Studio and the evals use it: text in, validated output out."""

from __future__ import annotations

from skills.audit.graph import graph as audit_skill
from skills.recurring.graph import RecurringSkillResult
from skills.recurring.graph import graph as recurring_skill
from skills.reminder.graph import ReminderSkillResult
from skills.reminder.graph import graph as reminder_skill
from skills.task.graph import TaskSkillResult
from skills.task.graph import graph as task_skill

NOW = "2026-11-25T10:00:00+05:00"  # a Wednesday in Karachi


async def test_task_skill_alone() -> None:
    out = await task_skill.ainvoke(
        {
            "text": "submit the report friday 3pm #work urgent",
            "now": NOW,
            "timezone": "Asia/Karachi",
        }
    )
    result = TaskSkillResult.model_validate(out["result"])
    assert result.fields.title == "submit the report"
    assert result.fields.due_date.isoformat() == "2026-11-27"
    assert result.fields.due_time.isoformat() == "15:00:00"
    assert result.fields.priority == 1
    assert result.fields.tags == ["work"]
    assert result.confidence >= 0.6


async def test_task_skill_in_urdu_reports_what_is_missing() -> None:
    out = await task_skill.ainvoke(
        {"text": "اسے مکمل کر دو", "now": NOW, "timezone": "Asia/Karachi", "locale": "ur"}
    )
    result = TaskSkillResult.model_validate(out["result"])
    assert result.intent == "complete_task"
    assert result.target is not None
    assert result.target.pronoun is True


async def test_reminder_skill_alone() -> None:
    out = await reminder_skill.ainvoke(
        {"text": "remind me 30 minutes before the dentist", "now": NOW, "timezone": "Asia/Karachi"}
    )
    result = ReminderSkillResult.model_validate(out["result"])
    assert result.reminder.offset_minutes == 30
    assert result.creates_task is False
    assert "dentist" in result.target.text


async def test_recurring_skill_alone_gives_rule_and_next_occurrences() -> None:
    out = await recurring_skill.ainvoke(
        {
            "text": "pay rent on the last day of the month at 9am",
            "now": NOW,
            "timezone": "Asia/Karachi",
        }
    )
    result = RecurringSkillResult.model_validate(out["result"])
    assert result.recurrence is not None
    assert result.next_occurrences[:3] == [
        "2026-11-30T09:00:00+05:00",
        "2026-12-31T09:00:00+05:00",
        "2027-01-31T09:00:00+05:00",
    ]


async def test_recurring_skill_says_when_there_is_no_recurrence() -> None:
    out = await recurring_skill.ainvoke({"text": "buy milk", "now": NOW})
    assert "recurrence" in out["result"]["missing"]


async def test_audit_skill_alone_builds_the_decision() -> None:
    understanding = (await task_skill.ainvoke({"text": "buy milk", "now": NOW}))["understanding"]
    out = await audit_skill.ainvoke(
        {
            "understanding": understanding,
            "outcome": "executed",
            "tool_calls": [{"name": "create_task", "arguments": {"title": "buy milk"}}],
        }
    )
    decision = out["decision"]
    assert decision["intent"] == "create_task"
    assert decision["skill"] == "task"
    assert decision["tool_calls"][0]["name"] == "create_task"
