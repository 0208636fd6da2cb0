"""Goldens: one JSON object a line in `evals/goldens/<skill>.jsonl`, validated by these models."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from skills.audit.decision import Outcome, Skill
from skills.understanding.types import (
    Intent,
    Language,
    ParseContext,
    QuerySpec,
    RecurrenceSpec,
    ReminderSpec,
    TaskFields,
    TaskRef,
)

GOLDEN_DIR = Path(__file__).parent / "goldens"
SKILLS: tuple[str, ...] = ("intent", "task", "reminder", "recurring", "audit")
SkillName = Literal["intent", "task", "reminder", "recurring", "audit"]

IntentOrChoices = Intent | list[Intent]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExpectedUnderstanding(_Strict):
    """The part of an `Understanding` a golden pins down.

    `intent` may list acceptable intents (greetings: unknown or help). A key that is absent is not
    compared; `task` and `missing` are compared in full when present (absent task fields mean
    None / []), `reminder`/`target`/`recurrence` set to null mean "must be absent".
    """

    intent: IntentOrChoices
    missing: list[str] = Field(default_factory=list)
    clarify: bool | None = None
    task: TaskFields | None = None
    target: TaskRef | None = None
    reminder: ReminderSpec | None = None
    recurrence: RecurrenceSpec | None = None
    query: QuerySpec | None = None

    @model_validator(mode="after")
    def _clarify_default(self) -> ExpectedUnderstanding:
        if self.clarify is None:
            self.clarify = bool(self.missing)
        return self


class ExpectedDecision(_Strict):
    intent: IntentOrChoices
    skill: Skill
    outcome: Outcome


class Golden(_Strict):
    id: str
    skill: SkillName
    language: Language
    now: datetime
    timezone: str
    locale: Language
    input: str = Field(min_length=1)
    expected: dict[str, Any]
    tags: list[str] = Field(default_factory=list)

    @field_validator("now")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("now must carry a UTC offset")
        return value

    @model_validator(mode="after")
    def _expected_valid(self) -> Golden:
        self.parsed_expected()
        return self

    def parsed_expected(self) -> ExpectedUnderstanding | ExpectedDecision:
        if self.skill == "audit":
            return ExpectedDecision.model_validate(self.expected)
        return ExpectedUnderstanding.model_validate(self.expected)

    def context(self) -> ParseContext:
        return ParseContext(now=self.now, timezone=self.timezone, locale=self.locale)


def read_file(path: Path) -> list[Golden]:
    goldens = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            goldens.append(Golden.model_validate(json.loads(line)))
        except ValueError as exc:
            raise ValueError(f"{path.name}:{number}: invalid golden: {exc}") from exc
    return goldens


@cache
def load(skill: str) -> tuple[Golden, ...]:
    return tuple(read_file(GOLDEN_DIR / f"{skill}.jsonl"))


def load_all() -> list[Golden]:
    return [golden for skill in SKILLS for golden in load(skill)]
