"""Language understanding: one contract (types), two backends (rules, ollama), one assembler.

Import the LLM backend through `make_understander` (skills.understanding.factory) so that
langchain is only loaded when the `ollama` backend is chosen.
"""

from .assemble import Parts, assemble
from .errors import UnderstandingUnavailable
from .rules import RulesUnderstander, understand_sync
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
    "Parts",
    "QuerySpec",
    "RecurrenceSpec",
    "ReminderSpec",
    "RulesUnderstander",
    "TaskFields",
    "TaskRef",
    "Understander",
    "Understanding",
    "UnderstandingUnavailable",
    "assemble",
    "understand_sync",
]
