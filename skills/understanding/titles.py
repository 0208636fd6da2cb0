"""What is left of a message becomes the title: trimmed of joining words, quotes restored."""

from __future__ import annotations

import re

from .normalize import PLACEHOLDER, restore_quotes

_PUNCT = " \t,.;:!?-–—|/&+"
# a joining word glued to the title by a hyphen or apostrophe is the title's ("check-in")
_END_EN = re.compile(
    r"(?:\s*(?:(?<!['’-])\b(?:to|at|on|by|for|and|due|from|until|till|of|in|with|before|after|around|"
    r"starting|every|each|then|also|please|pls|reminder|remind\s+me|the|a|an|me|is|are)\b|@|[,.;:!?\-–—]))+\s*$",
    re.I,
)
_START_EN = re.compile(
    r"^\s*(?:(?:\b(?:to|that|about|and|on|at|by|for|then|also|please|pls|me)\b(?![-'’])|[,.;:!?\-–—])\s*)+",
    re.I,
)
_LIST_EN = re.compile(
    r"\s+(?:to|on|in|onto)\s+(?:my|the)\s+(?:(?:todo|to-do|task|shopping|grocery)\s+)?(?:list|tasks|todos|to-dos)\b"
    r"|\s+(?:for\s+me)\b",
    re.I,
)
_END_UR = re.compile(
    r"(?:\s*(?:(?<!\w)(?:کو|کا|کی|کے|تک|پر|سے|اور|میں|بھی|کہ|والا|والی|والے|ہے|ہیں|پلیز|مجھے)(?!\w)|[,.;:!?\-–—]))+\s*$"
)
_START_UR = re.compile(
    r"^\s*(?:(?:(?<!\w)(?:کو|کا|کی|کے|اور|کہ|مجھے|پلیز|ذرا|براہ\s+کرم|نیا\s+کام|ایک\s+کام)(?!\w)|[,.;:!?\-–—])\s*)+"
)


def make_title(rest: str, quotes: tuple[str, ...], language: str) -> str | None:
    text = " ".join(rest.split())
    if language == "ur":
        for _ in range(2):
            text = _END_UR.sub("", _START_UR.sub("", text))
    else:
        text = _LIST_EN.sub("", text)
        for _ in range(2):
            text = _END_EN.sub("", _START_EN.sub("", text))
    text = text.strip(_PUNCT)
    # quoted text is the title verbatim when nothing but joining words surrounds it
    if quotes and PLACEHOLDER.search(text) and not PLACEHOLDER.sub("", text).strip(_PUNCT):
        return restore_quotes(text, quotes).strip() or None
    text = restore_quotes(text, quotes).strip(_PUNCT)
    return text or None
