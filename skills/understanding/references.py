"""How a message points at existing tasks: words, a pronoun, or all of them."""

from __future__ import annotations

import re

from .types import TaskRef

_PRONOUNS_EN = frozenset(
    {
        "it", "that", "this", "this one", "that one", "that task", "this task", "the last one",
        "the last task", "last one", "the same one", "same one", "the previous one", "the one",
    }
)  # fmt: skip
_PRONOUNS_UR = frozenset(
    {
        "اسے", "اس کو", "اسکو", "یہ", "وہ", "اس", "یہ والا", "وہ والا", "اس کام کو", "یہ کام",
        "وہ کام", "اسی کو", "اسی", "اس کام", "اُسے", "انہیں", "ان کو", "پچھلا کام", "پچھلے کام کو",
    }
)  # fmt: skip
_ALL_EN = re.compile(
    r"^(?:(?:all|every|each)(?:\s+(?:of|one\s+of))?\s+)?(?:my\s+|the\s+|our\s+)?"
    r"(?:(?:open|pending|completed|done|remaining|current|existing)\s+)?(?:tasks|todos|to-dos|items|things|them|reminders)"
    r"(?:\s+(?:i\s+have|on\s+my\s+list|in\s+my\s+list))?$|^(?:everything|all|all\s+of\s+it|the\s+whole\s+list|my\s+whole\s+list)"
    r"(?:\s+(?:on|in)\s+(?:my|the)\s+(?:(?:todo|to-do|task)\s+)?list)?$",
    re.I,
)
_ALL_UR = re.compile(
    r"^(?:(?:مکمل\s+شدہ|مکمل|نامکمل|پرانے|باقی)\s+)?(?:میرے\s+|اپنے\s+)?(?:سارے|تمام|سب|سبھی|سارا)(?:\s+کے\s+سب)?"
    r"(?:\s+(?:مکمل\s+شدہ|مکمل|نامکمل|پرانے|باقی))?(?:\s+(?:کام|ٹاسک|کاموں|چیزیں))?(?:\s+(?:کو|کی))?$"
    r"|^سب\s+کچھ$|^(?:میرے\s+)?(?:کام|کاموں)\s+(?:سارے|تمام)$"
)
_LEAD_EN = re.compile(
    r"^(?:(?:the|my|a|an|our|that|this|to|on|for|with|from|of|at|by|about|regarding|task|todo|item)\b\s*)+",
    re.I,
)
# "push the report back", "bring the call forward": a trailing verb particle is not in the name
_TRAIL_EN = re.compile(
    r"(?:\s*\b(?:task|tasks|todo|to-do|item|one|reminder|entry|thing|to|on|for|with|as|from|of|at|by|in|and|the|please|too|now"
    r"|back|forward|ahead)\b)+\s*$",
    re.I,
)
# "remove milk from my list": where the task lives is not part of its name
_ON_LIST_EN = re.compile(
    r"\s+(?:from|off|on|in)\s+(?:my|the)\s+(?:(?:todo|to-do|task|shopping|grocery)\s+)?list$", re.I
)
_CALLED_EN = re.compile(r"^(?:task|one|item)?\s*(?:called|named|titled|about|saying)\s+", re.I)
_TRAIL_UR = re.compile(
    r"(?:\s*(?<!\w)(?:(?:کے|کی)\s+(?:بارے(?:\s+میں)?|متعلق|بابت|حوالے\s+سے)|(?:والا|والے|والی)(?:\s+(?:کام|ٹاسک|یاد\s+دہانی))?|کے\s+(?:لیے|لئے)|کا\s+کام|کے\s+کام|کام|ٹاسک|کو|کا|کی|کے|سے|پر|میں|تک|نے|بھی|اب|اور)(?!\w))+\s*$"
)
# a polite opener ("براہ کرم") is not part of the task's name
_LEAD_UR = re.compile(
    r"^(?:(?:براہ\s+کرم|پلیز|مہربانی\s+(?:کر\s+کے|کرکے)|ذرا|میرا|میرے|میری|اپنا|اپنے|اپنی|کو|کا|کی|کے|سے|پر|میں|اور|بھی)(?!\w)\s*)+"
)
_PUNCT = " \t,.;:!?-–—()[]{}"


def clean_target(text: str, language: str) -> str:
    text = text.strip(_PUNCT)
    if language == "ur":
        for _ in range(2):
            text = _TRAIL_UR.sub("", _LEAD_UR.sub("", text)).strip(_PUNCT)
        return text
    for _ in range(2):
        text = _ON_LIST_EN.sub("", text)
        text = _CALLED_EN.sub("", _TRAIL_EN.sub("", _LEAD_EN.sub("", text))).strip(_PUNCT)
    return text


# "push it back", "move that up", "bring it forward": the particle belongs to the verb, not the task
_PARTICLE_EN = re.compile(
    r"\s+(?:back|up|forward|ahead|off|over|along|down)(?:\s+(?:to|until|till|for|on|at|by))?$"
)


def is_pronoun(text: str, language: str) -> bool:
    key = " ".join(text.lower().strip(_PUNCT).split())
    if language == "en":
        key = _PARTICLE_EN.sub("", key)
    return key in _PRONOUNS_UR if language == "ur" else key in _PRONOUNS_EN


def reference(text: str, language: str) -> TaskRef | None:
    """The task reference in the words left after the command, or None when nothing points."""
    raw = " ".join(text.split()).strip(_PUNCT)
    if not raw:
        return None
    if is_pronoun(raw, language) or is_pronoun(raw, "ur" if language == "en" else "en"):
        return TaskRef(pronoun=True)
    all_pattern = _ALL_UR if language == "ur" else _ALL_EN
    if all_pattern.match(raw) or _ALL_EN.match(raw):
        return TaskRef(all_tasks=True)
    cleaned = clean_target(raw, language)
    if not cleaned:
        return None
    if is_pronoun(cleaned, language):
        return TaskRef(pronoun=True)
    if all_pattern.match(cleaned):
        return TaskRef(all_tasks=True)
    return TaskRef(text=cleaned)
