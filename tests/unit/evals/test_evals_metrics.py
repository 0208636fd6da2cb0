"""The metrics on hand-built cases: each one passes on a right answer and fails on a wrong one."""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime, time
from typing import Any

import pytest
from deepeval.test_case import LLMTestCase

from evals.metrics import (
    ClarificationCorrectness,
    DateTimeExactMatch,
    ExactMatch,
    FieldPrecisionRecall,
    IntentAccuracy,
    RecurrenceEquivalence,
    metrics_for,
)
from skills.audit.decision import build_decision
from skills.understanding.types import (
    Intent,
    RecurrenceSpec,
    ReminderSpec,
    TaskFields,
    TaskRef,
    Understanding,
)

META = {"id": "t-1", "skill": "task", "language": "en", "timezone": "America/New_York"}


def understanding(**kw: Any) -> Understanding:
    base: dict[str, Any] = {"intent": Intent.CREATE_TASK, "confidence": 0.9, "language": "en"}
    return Understanding(**(base | kw))


def case(actual: Understanding | None, expected: dict, **meta: Any) -> LLMTestCase:
    return LLMTestCase(
        input="x",
        actual_output=actual.model_dump_json() if actual is not None else "",
        expected_output=json.dumps(expected),
        metadata=META | meta,
    )


MILK = {"intent": "create_task", "task": {"title": "buy milk", "due_date": "2025-02-15"}}


def test_intent_accuracy_passes_and_fails() -> None:
    metric = IntentAccuracy()
    assert metric.measure(case(understanding(), MILK)) == 1.0
    assert metric.is_successful()
    assert metric.measure(case(understanding(intent=Intent.QUERY_TASKS), MILK)) == 0.0
    assert not metric.is_successful()
    assert metric.__name__ == "IntentAccuracy"


def test_intent_accuracy_accepts_listed_alternatives() -> None:
    expected = {"intent": ["unknown", "help"]}
    assert IntentAccuracy().measure(case(understanding(intent=Intent.HELP), expected)) == 1.0
    assert IntentAccuracy().measure(case(understanding(), expected)) == 0.0


def test_missing_output_scores_zero() -> None:
    metric = ExactMatch()
    assert metric.measure(case(None, MILK)) == 0.0
    assert not metric.is_successful()


def test_field_precision_recall_counts_fields() -> None:
    metric = FieldPrecisionRecall()
    right = understanding(task=TaskFields(title="buy milk", due_date=date(2025, 2, 15)))
    assert metric.measure(case(right, MILK)) == 1.0
    extra = understanding(task=TaskFields(title="buy milk", due_date=date(2025, 2, 15), priority=1))
    metric.measure(case(extra, MILK))
    assert metric.score_breakdown["precision"] == pytest.approx(2 / 3)
    assert metric.score_breakdown["recall"] == 1.0
    assert not metric.is_successful()
    wrong_title = understanding(task=TaskFields(title="milk", due_date=date(2025, 2, 15)))
    metric.measure(case(wrong_title, MILK))
    assert metric.score_breakdown["precision"] == 0.5
    assert metric.score_breakdown["recall"] == 0.5
    assert metric.score_breakdown["fields"]["title"] == {"tp": 0, "fp": 1, "fn": 1}


def test_title_comparison_ignores_edge_punctuation_not_case() -> None:
    metric = FieldPrecisionRecall()
    spaced = understanding(task=TaskFields(title=" buy  milk, ", due_date=date(2025, 2, 15)))
    assert metric.measure(case(spaced, MILK)) == 1.0
    upper = understanding(task=TaskFields(title="Buy milk", due_date=date(2025, 2, 15)))
    assert metric.measure(case(upper, MILK)) < 1.0


def test_datetime_exact_match() -> None:
    expected = {
        "intent": "create_task",
        "task": {"title": "call", "due_date": "2025-03-09", "due_time": "03:30:00"},
        "reminder": {"offset_minutes": 0},
    }
    right = understanding(
        task=TaskFields(title="call", due_date=date(2025, 3, 9), due_time=time(3, 30)),
        reminder=ReminderSpec(offset_minutes=0),
    )
    metric = DateTimeExactMatch()
    assert metric.measure(case(right, expected)) == 1.0
    off_task = right.task.model_copy(update={"due_time": time(2, 30)})
    hour_off = right.model_copy(update={"task": off_task})
    assert metric.measure(case(hour_off, expected)) == 0.0
    no_reminder = right.model_copy(update={"reminder": None})
    assert metric.measure(case(no_reminder, expected)) == 0.0


def _recurring(rrule: str, start: datetime) -> Understanding:
    return understanding(recurrence=RecurrenceSpec(rrule=rrule, dtstart=start))


def test_recurrence_equivalence_compares_occurrences_not_text() -> None:
    tuesday = datetime(2025, 3, 4, 9, 0)
    expected = {
        "intent": "create_task",
        "recurrence": {"rrule": "FREQ=WEEKLY;BYDAY=TU", "dtstart": tuesday.isoformat()},
    }
    metric = RecurrenceEquivalence()
    assert metric.measure(case(_recurring("FREQ=WEEKLY", tuesday), expected)) == 1.0
    assert metric.measure(case(_recurring("RRULE:FREQ=DAILY;INTERVAL=7", tuesday), expected)) == 1.0
    assert metric.measure(case(_recurring("FREQ=WEEKLY;BYDAY=WE", tuesday), expected)) == 0.0
    assert "differs" in metric.reason
    assert metric.measure(case(_recurring("FREQ=WEEKLY;COUNT=3", tuesday), expected)) == 0.0
    assert metric.measure(case(_recurring("FREQ=SOMETIMES", tuesday), expected)) == 0.0
    assert metric.measure(case(understanding(), expected)) == 0.0


def test_recurrence_equivalence_wants_none_when_none_expected() -> None:
    expected = {"intent": "create_task", "recurrence": None}
    metric = RecurrenceEquivalence()
    assert metric.measure(case(understanding(), expected)) == 1.0
    assert metric.measure(case(_recurring("FREQ=DAILY", datetime(2025, 1, 1, 9)), expected)) == 0.0


@pytest.mark.parametrize(
    ("actual", "expected_clarify", "score"),
    [
        (understanding(missing=["title"]), True, 1.0),
        (understanding(confidence=0.5), True, 1.0),
        (understanding(intent=Intent.DELETE_TASK, target=TaskRef(all_tasks=True)), True, 1.0),
        (understanding(), True, 0.0),  # acted where it should have asked
        (understanding(missing=["when"]), False, 0.0),  # asked without need
        (understanding(confidence=0.59), False, 0.0),
        (understanding(confidence=0.6), False, 1.0),
        (understanding(intent=Intent.HELP, confidence=0.3), False, 1.0),
    ],
)
def test_clarification_correctness(
    actual: Understanding, expected_clarify: bool, score: float
) -> None:
    expected = {"intent": str(actual.intent), "clarify": expected_clarify}
    assert ClarificationCorrectness().measure(case(actual, expected)) == score


def test_clarification_on_audit_decisions() -> None:
    decision = build_decision(understanding(missing=["title"]), [], outcome="clarify")
    test_case = LLMTestCase(
        input="add a task",
        actual_output=decision.model_dump_json(),
        expected_output=json.dumps(
            {"intent": "create_task", "skill": "task", "outcome": "clarify"}
        ),
        metadata=META | {"skill": "audit"},
    )
    assert ClarificationCorrectness().measure(test_case) == 1.0
    assert ExactMatch().measure(test_case) == 1.0
    executed = json.dumps({"intent": "create_task", "skill": "task", "outcome": "executed"})
    test_case.expected_output = executed
    assert ClarificationCorrectness().measure(test_case) == 0.0
    assert ExactMatch().measure(test_case) == 0.0


def test_exact_match_checks_everything_pinned() -> None:
    expected = {
        "intent": "update_task",
        "task": {"priority": 2},
        "target": {"text": "the tax return", "pronoun": False, "all_tasks": False},
        "missing": [],
        "clarify": False,
    }
    right = understanding(
        intent=Intent.UPDATE_TASK, task=TaskFields(priority=2), target=TaskRef(text="Tax return")
    )
    metric = ExactMatch()
    assert metric.measure(case(right, expected)) == 1.0
    other = right.model_copy(update={"target": TaskRef(text="the report")})
    assert metric.measure(case(other, expected)) == 0.0
    assert "target" in metric.reason
    urdu = right.model_copy(update={"language": "ur"})
    assert metric.measure(case(urdu, expected)) == 0.0
    titled = right.model_copy(update={"task": TaskFields(priority=2, title="tax return")})
    assert metric.measure(case(titled, expected)) == 0.0


def test_a_measure_matches_measure() -> None:
    metric = IntentAccuracy()
    assert asyncio.run(metric.a_measure(case(understanding(), MILK))) == 1.0


def test_datetime_metric_only_where_a_date_is_expected() -> None:
    names = [m.__name__ for m in metrics_for("task", {"intent": "create_task", "task": {}})]
    assert "DateTimeExactMatch" not in names
    names = [m.__name__ for m in metrics_for("task", MILK)]
    assert "DateTimeExactMatch" in names
