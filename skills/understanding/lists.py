"""Named lists and calendars: "add eggs to my shopping list", "شاپنگ لسٹ میں انڈے ڈال دو".

A task store has tags, not lists, so a named list is the tag of that name ("shopping list" →
#shopping; "hardware store list" → #hardware-store); the to-do list itself ("my to-do list",
"کاموں کی فہرست") and a calendar ("put the dentist on my calendar") name no tag. Either way the
phrase is where the task goes, not part of its title, and "add"/"put" before it is the command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .doc import Doc

_NO_TAG_EN = frozenset({"todo", "to-do", "to do", "task", "tasks", "reminder", "reminders", "main"})
_NO_TAG_UR = frozenset({"کاموں", "کام", "ٹاسک", "ٹو ڈو", "ٹوڈو"})
_LIST_EN = re.compile(
    r"\s*\b(?:to|on|onto|in|into|from|off)\s+(?:my|the|our)\s+"
    r"(?P<name>[^\W\d_][\w-]*(?:\s+(?!list\b)[^\W\d_][\w-]*)?)\s+list\b",
    re.I,
)
_CALENDAR_EN = re.compile(
    r"\s*\b(?:to|on|onto|in|into)\s+(?:my|the|our)\s+(?:calendar|agenda|diary|planner|schedule|list)\b",
    re.I,
)
# "add", "put" before the thing: the command (a bare "put" is otherwise an everyday to-do)
_COMMAND_EN = re.compile(
    r"^\s*(?:(?:please|pls|can\s+you|could\s+you|hey|ok)\s*,?\s+)*(?:add|put|stick|throw|pop|write)\b"
    r"(?:\s+(?:the|my)\b)?",
    re.I,
)
_INFINITIVE_UR = re.compile(r"(?:نا|نی|نے)$")
_LIST_UR = re.compile(
    r"(?<!\w)(?:(?:میری|میرے|اپنی|ہماری)\s+)?(?P<name>[^\s,.:;!?]+(?:\s+ڈو)?)\s+(?:کی\s+)?(?:لسٹ|فہرست)"
    r"(?:\s+(?:میں|پر|سے)(?!\w)|(?=\s+(?:دکھاؤ|دکھا|دکھائیں|بتاؤ|بتائیں)(?!\w)))"
)


@dataclass(frozen=True, slots=True)
class ListHit:
    tag: str | None  # the list's name as a tag, None for the to-do list or a calendar
    command: bool  # "add"/"put" opened the message and was taken as the command


def take_list(doc: Doc, language: str) -> ListHit | None:
    """Blank the list (or calendar) phrase; the tag it names, if any."""
    if language == "ur" and (m := _LIST_UR.search(doc.text)):
        name = " ".join(m["name"].split())
        # "بل جمع کروانا فہرست میں شامل کرو": an infinitive before the list is the task, not a name
        if _INFINITIVE_UR.search(name):
            return None
        doc.take_match(m)
        return ListHit(None if name in _NO_TAG_UR else name.lower(), command=False)
    m = _LIST_EN.search(doc.text) or _CALENDAR_EN.search(doc.text)
    if m is None:
        return None
    tag: str | None = None
    if "name" in m.re.groupindex:
        name = " ".join(m["name"].lower().split())
        tag = None if name in _NO_TAG_EN else name.replace(" ", "-")
    doc.take_match(m)
    command = False
    if (verb := _COMMAND_EN.match(doc.text)) and doc.text[verb.end() :].strip():
        doc.take_match(verb)
        command = True
    return ListHit(tag, command)
