"""Deterministic deepeval metrics over understood messages.

A test case carries JSON strings: `actual_output` is an `Understanding` (or, for the audit skill,
an `AgentDecision`), `expected_output` is the golden's `expected`; `metadata` holds the golden's
`skill`, `language`, `timezone` and `id`. An actual output of `null` means the backend failed.
Every metric scores 0..1 and succeeds at its threshold (1.0 by default: one golden is right or
wrong); the suite gates on the aggregate scores against `evals/baseline.json`.
"""

from __future__ import annotations

import json
from typing import Any

from deepeval.metrics import BaseMetric
from deepeval.test_case import LLMTestCase

from evals import compare
from evals.goldens import ExpectedDecision, ExpectedUnderstanding
from skills.audit.decision import AgentDecision
from skills.understanding.types import ReminderSpec, TaskFields, Understanding


def _payloads(test_case: LLMTestCase) -> tuple[dict[str, Any] | None, dict[str, Any], dict]:
    actual = json.loads(test_case.actual_output) if test_case.actual_output else None
    expected = json.loads(test_case.expected_output or "{}")
    return actual, expected, dict(test_case.metadata or {})


def _is_decision(meta: dict) -> bool:
    return meta.get("skill") == "audit"


class _Deterministic(BaseMetric):
    """Shared plumbing: sync and async measure, success at threshold, no model, no cost."""

    metric_name = "Deterministic"

    def __init__(self, threshold: float = 1.0) -> None:
        self.threshold: float = threshold
        self.include_reason = True
        self.async_mode = False
        self.strict_mode = False
        self.evaluation_model = None
        self.evaluation_cost = 0.0
        self.score_breakdown: dict = {}

    @property
    def __name__(self) -> str:  # deepeval reads the metric's name through this property
        return self.metric_name

    def measure(self, test_case: LLMTestCase, *args: Any, **kwargs: Any) -> float:
        self.error = None
        self.score_breakdown = {}
        actual, expected, meta = _payloads(test_case)
        if actual is None:
            self.score, self.reason = 0.0, "the backend produced no output"
        else:
            self.score, self.reason = self._score(actual, expected, meta)
        self.success = self.score >= self.threshold
        return self.score

    async def a_measure(self, test_case: LLMTestCase, *args: Any, **kwargs: Any) -> float:
        return self.measure(test_case, *args, **kwargs)

    def is_successful(self) -> bool:
        if self.error is not None or self.score is None:
            self.success = False
        else:
            self.success = self.score >= self.threshold
        return self.success

    def _score(self, actual: dict, expected: dict, meta: dict) -> tuple[float, str]:
        raise NotImplementedError


class IntentAccuracy(_Deterministic):
    """The routed intent is the expected one (or one of the accepted ones)."""

    metric_name = "IntentAccuracy"

    def _score(self, actual: dict, expected: dict, meta: dict) -> tuple[float, str]:
        ok = compare.intent_matches(expected["intent"], actual.get("intent", ""))
        if ok:
            return 1.0, "intent matches"
        return 0.0, f"expected {expected['intent']}, got {actual.get('intent')}"


class FieldPrecisionRecall(_Deterministic):
    """Per-field precision and recall of task fields; the score is their F1.

    A field the backend set counts for precision, a field the golden sets counts for recall;
    a field is right when set on both sides with the same value. `score_breakdown` keeps the
    per-field tp/fp/fn so the report can add them up over goldens (micro averages).
    """

    metric_name = "FieldPrecisionRecall"

    def _score(self, actual: dict, expected: dict, meta: dict) -> tuple[float, str]:
        want = TaskFields.model_validate(expected.get("task") or {})
        got = Understanding.model_validate(actual).task
        tp = fp = fn = 0
        fields: dict[str, dict[str, int]] = {}
        wrong = []
        for name in compare.TASK_FIELDS:
            exp, act = compare.field_value(want, name), compare.field_value(got, name)
            cell = {"tp": 0, "fp": 0, "fn": 0}
            if compare.is_set(act) and compare.is_set(exp) and exp == act:
                cell["tp"] = 1
            else:
                cell["fp"] = int(compare.is_set(act))
                cell["fn"] = int(compare.is_set(exp))
                if cell["fp"] or cell["fn"]:
                    wrong.append(f"{name}: expected {exp!r}, got {act!r}")
            tp, fp, fn = tp + cell["tp"], fp + cell["fp"], fn + cell["fn"]
            fields[name] = cell
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        self.score_breakdown = {"precision": precision, "recall": recall, "fields": fields}
        reason = "; ".join(wrong) or "all task fields match"
        return f1, f"precision {precision:.2f}, recall {recall:.2f}: {reason}"


class DateTimeExactMatch(_Deterministic):
    """Due date and time, and the reminder's moment or offset, exactly as expected."""

    metric_name = "DateTimeExactMatch"

    def _score(self, actual: dict, expected: dict, meta: dict) -> tuple[float, str]:
        understood = Understanding.model_validate(actual)
        want = TaskFields.model_validate(expected.get("task") or {})
        wrong = [
            f"{name}: expected {getattr(want, name)}, got {getattr(understood.task, name)}"
            for name in compare.DATETIME_TASK_FIELDS
            if getattr(want, name) != getattr(understood.task, name)
        ]
        if "reminder" in expected:
            raw = expected["reminder"]
            exp_rem = ReminderSpec.model_validate(raw) if raw else None
            if exp_rem != understood.reminder:
                wrong.append(f"reminder: expected {exp_rem}, got {understood.reminder}")
        return float(not wrong), "; ".join(wrong) or "dates and times match"


class RecurrenceEquivalence(_Deterministic):
    """The same first 10 local occurrences (domain.recurrence.first_n_local), not the same text."""

    metric_name = "RecurrenceEquivalence"

    def _score(self, actual: dict, expected: dict, meta: dict) -> tuple[float, str]:
        want = ExpectedUnderstanding.model_validate(expected).recurrence
        got = Understanding.model_validate(actual).recurrence
        same, why = compare.recurrence_equal(want, got, meta.get("timezone", "UTC"))
        return float(same), why or "same occurrences"


class ClarificationCorrectness(_Deterministic):
    """Asked when needed (something missing, confidence below 0.6, bulk change), not otherwise."""

    metric_name = "ClarificationCorrectness"

    def _score(self, actual: dict, expected: dict, meta: dict) -> tuple[float, str]:
        if _is_decision(meta):
            want = ExpectedDecision.model_validate(expected).outcome in ("clarify", "confirm")
            got = AgentDecision.model_validate(actual).outcome in ("clarify", "confirm")
        else:
            want = bool(ExpectedUnderstanding.model_validate(expected).clarify)
            got = compare.needs_question(Understanding.model_validate(actual))
        if want == got:
            return 1.0, "asked" if got else "did not ask"
        return 0.0, "asked without need" if got else "acted where it should have asked"


class ExactMatch(_Deterministic):
    """Every part the golden pins down is right: the '% exact match of all fields' target."""

    metric_name = "ExactMatch"

    def _score(self, actual: dict, expected: dict, meta: dict) -> tuple[float, str]:
        if _is_decision(meta):
            wrong = self._decision(actual, expected, meta)
        else:
            wrong = self._understanding(actual, expected, meta)
        return float(not wrong), "; ".join(wrong) or "exact match"

    @staticmethod
    def _decision(actual: dict, expected: dict, meta: dict) -> list[str]:
        want = ExpectedDecision.model_validate(expected)
        got = AgentDecision.model_validate(actual)
        wrong = []
        if not compare.intent_matches(want.intent, str(got.intent)):
            wrong.append(f"intent: expected {want.intent}, got {got.intent}")
        for name in ("skill", "outcome"):
            if getattr(want, name) != getattr(got, name):
                wrong.append(f"{name}: expected {getattr(want, name)}, got {getattr(got, name)}")
        if meta.get("language") and got.language != meta["language"]:
            wrong.append(f"language: expected {meta['language']}, got {got.language}")
        return wrong

    @staticmethod
    def _understanding(actual: dict, expected: dict, meta: dict) -> list[str]:
        return compare.understanding_diffs(actual, expected, meta)


# Which metrics score which skill; DateTimeExactMatch only where the golden has a date or time.
_FIELDS = (IntentAccuracy, FieldPrecisionRecall, DateTimeExactMatch)
METRICS_BY_SKILL: dict[str, tuple[type[_Deterministic], ...]] = {
    "intent": (IntentAccuracy, ClarificationCorrectness, ExactMatch),
    "task": (*_FIELDS, ClarificationCorrectness, ExactMatch),
    "reminder": (*_FIELDS, ClarificationCorrectness, ExactMatch),
    "recurring": (*_FIELDS, RecurrenceEquivalence, ExactMatch),
    "audit": (IntentAccuracy, ClarificationCorrectness, ExactMatch),
}


def has_datetime(expected: dict) -> bool:
    task = expected.get("task") or {}
    return bool(task.get("due_date") or task.get("due_time")) or bool(expected.get("reminder"))


def metrics_for(skill: str, expected: dict) -> list[BaseMetric]:
    return [
        cls()
        for cls in METRICS_BY_SKILL[skill]
        if cls is not DateTimeExactMatch or has_datetime(expected)
    ]
