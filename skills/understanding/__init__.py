"""Language understanding: one contract (types), two backends (rules, ollama).

Import the LLM backend through `make_understander` (skills.understanding.factory) so that
langchain is only loaded when the `ollama` backend is chosen.
"""

from .errors import UnderstandingUnavailable
from .phrases import (
    resolve_date,
    resolve_priority,
    resolve_query,
    resolve_recurrence,
    resolve_reminder,
    resolve_time,
    resolve_when,
)
from .rules import (
    RulesUnderstander,
    detect_intent,
    parse_recurrence,
    parse_reminder,
    parse_task_fields,
    understand_sync,
)
from .types import (
    Intent,
    Language,
    ParseContext,
    QuerySpec,
    RecurrenceSpec,
    ReminderSpec,
    TaskFields,
    TaskRef,
    Understander,
    Understanding,
)

__all__ = [
    "Intent",
    "Language",
    "ParseContext",
    "QuerySpec",
    "RecurrenceSpec",
    "ReminderSpec",
    "RulesUnderstander",
    "TaskFields",
    "TaskRef",
    "Understander",
    "Understanding",
    "UnderstandingUnavailable",
    "detect_intent",
    "parse_recurrence",
    "parse_reminder",
    "parse_task_fields",
    "resolve_date",
    "resolve_priority",
    "resolve_query",
    "resolve_recurrence",
    "resolve_reminder",
    "resolve_time",
    "resolve_when",
    "understand_sync",
]
