"""Tokens that stand on their own: #tags, p1-p4, priority words, notes."""

from __future__ import annotations

import re

from . import lexicon_en as en
from . import lexicon_ur as ur
from .doc import Doc

# Any script: \w covers Urdu letters; a tag may carry inner - or _ ("#follow-up").
_TAG = re.compile(r"(?<![\w#])#(\w[\w-]*)")
_P_TOKEN = re.compile(r"(?<![\w!])(?:p|priority\s*)([1-4])(?!\w)|(?<!\w)!([1-4])(?!\w)", re.I)
_PRIORITY_EN = re.compile(
    r"(?:(?:,|\bwith|\bas|\bis|\bits|\bit's)\s+)?(?:\b(?:a|an|the)\s+)?\b(?P<w>"
    + en.alt(k for k in en.PRIORITY_WORDS if not k.startswith("priority"))
    + r")\b(?:\s*!+)?(?:\s+(?:task|item|one))?(?=\s|$|[,.;:!?])",
    re.I,
)
_PRIORITY_UR = re.compile(
    r"(?<!\w)(?P<w>" + ur.alt(ur.PRIORITY_WORDS) + r")(?!\w)(?:\s*(?:ترجیح|کام))?(?:\s+ہے)?"
)
# "priority high/medium/low" and "high/low priority" in both orders
_PRIORITY_LEVEL = re.compile(
    r"\b(?:with\s+)?(?:a\s+)?priority(?:\s+(?:is|of|to|as|=|:))?\s+(?P<lv>highest|high|medium|normal|low|lowest|top)\b",
    re.I,
)
_LEVELS = {"highest": 1, "top": 1, "high": 2, "medium": 3, "normal": 3, "low": 4, "lowest": 4}
# "set the priority of X to low": the level comes after the task's name
_LEVEL_AFTER_PRIORITY = re.compile(
    r"\b(?:to|as)\s+(?P<lv>highest|high|medium|normal|low|lowest|top)\b(?:\s+priority\b)?", re.I
)
_PRIORITY_WORD = re.compile(r"\bpriority\b", re.I)
_NOTES = re.compile(r"(?:^|[\s,;.(])(?:notes?|نوٹ|تفصیل)\s*:\s*(?P<n>.*)$", re.I | re.S)


def take_tags(doc: Doc) -> list[str]:
    tags: list[str] = []
    for m in _TAG.finditer(doc.text):
        tag = m.group(1).lower()
        if tag not in tags and not tag.isdigit():
            tags.append(tag)
        if not m.group(1).isdigit():
            doc.take_match(m)
    return tags


def take_priority(doc: Doc, language: str) -> int | None:
    """The first priority said wins; every priority phrase leaves the title."""
    found: list[tuple[int, int]] = []  # (position, priority)
    for m in _P_TOKEN.finditer(doc.text):
        found.append((m.start(), int(m.group(1) or m.group(2))))
        doc.take_match(m)
    for m in _PRIORITY_LEVEL.finditer(doc.text):
        found.append((m.start(), _LEVELS[m.group("lv").lower()]))
        doc.take_match(m)
    for m in _PRIORITY_EN.finditer(doc.text):
        word = " ".join(m.group("w").lower().split())
        found.append((m.start(), en.PRIORITY_WORDS[word]))
        doc.take_match(m)
    if language == "ur":
        for m in _PRIORITY_UR.finditer(doc.text):
            word = " ".join(m.group("w").split())
            found.append((m.start(), ur.PRIORITY_WORDS[word]))
            doc.take_match(m)
    level = None if found else _LEVEL_AFTER_PRIORITY.search(doc.text)
    if level and _PRIORITY_WORD.search(doc.text, 0, level.start()):
        found.append((level.start(), _LEVELS[level.group("lv").lower()]))
        doc.take_match(level)
    return min(found)[1] if found else None


def resolve_priority(phrase: str) -> int | None:
    """A priority phrase on its own ('urgent', 'p2', 'کم اہم') → 1..4."""
    from .normalize import normalize

    norm = normalize(phrase)
    return take_priority(Doc(norm.text), norm.language)


def take_notes(doc: Doc) -> str | None:
    m = _NOTES.search(doc.text)
    if not m:
        return None
    notes = m.group("n").strip()
    doc.take(m.start() if m.start() == 0 else m.start() + 1, len(doc.text))
    return notes or None
