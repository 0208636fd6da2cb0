"""Text normalisation before any pattern runs.

Urdu arrives with Urdu or Arabic digits, Arabic look-alike letters (ي ك ه), Urdu punctuation,
diacritics and zero-width joiners depending on the keyboard; all grammar is written once against
the normalised form. Quoted spans are swapped for opaque placeholders so no pattern can read them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .roman import Romanized, is_roman_urdu, to_script
from .types import Language

_TRANSLATE = str.maketrans(
    {
        **{c: str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")},
        **{c: str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")},
        "،": ",",
        "؛": ";",
        "؟": "?",
        "۔": ".",
        "٪": "%",
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "ه": "ہ",
        "ۀ": "ہ",
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "\u200c": None,  # ZWNJ: a rendering hint inside words
        "\u200d": None,
        "\u200f": None,  # RTL mark
        "\u200e": None,
        "\u0640": None,  # tatweel
        **{chr(c): None for c in range(0x064B, 0x0660)},  # harakat
        "\u0670": None,
    }
)

_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
_DOUBLE_QUOTED = re.compile(r'"([^"]+)"')
# A single quote opens only after a non-letter, so "what's" and "mom's" are not quotes.
_SINGLE_QUOTED = re.compile(r"(?<!\w)'([^']+)'(?!\w)")
_SPACES = re.compile(r"\s+")

# Placeholders: private-use characters are neither \w nor \d, so no grammar matches them.
_PH_OPEN, _PH_CLOSE, _PH_BASE = "\ue000", "\ue001", 0xE100
PLACEHOLDER = re.compile(f"{_PH_OPEN}(.){_PH_CLOSE}")


@dataclass(frozen=True, slots=True)
class Normalized:
    text: str
    quotes: tuple[str, ...]
    language: str  # the grammar that reads `text`: "en" | "ur"
    written: Language = "en"  # how the person wrote: "en" | "ur" | "ur-Latn" (Roman Urdu)
    roman: Romanized | None = None

    def original(self, words: str | None) -> str | None:
        """Words left by the grammar, spelled as typed (Roman Urdu was read in Urdu script)."""
        return self.roman.original(words) if self.roman is not None else words


def detect_language(text: str) -> Language:
    """The project's rule: Arabic-script letters make a message Urdu ("ur"); Latin letters with
    words only Urdu uses make it Roman Urdu ("ur-Latn"); anything else is English."""
    if _ARABIC_SCRIPT.search(text):
        return "ur"
    return "ur-Latn" if is_roman_urdu(text) else "en"


def normalize(text: str) -> Normalized:
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    quotes: list[str] = []

    def protect(match: re.Match[str]) -> str:
        quotes.append(match.group(1).strip())
        return f" {_PH_OPEN}{chr(_PH_BASE + len(quotes) - 1)}{_PH_CLOSE} "

    if '"' in text:
        text = _DOUBLE_QUOTED.sub(protect, text)
    if "'" in text:
        text = _SINGLE_QUOTED.sub(protect, text)
    text = _SPACES.sub(" ", text).strip()
    written = detect_language(text)
    if written == "ur-Latn":
        roman = to_script(text)
        return Normalized(roman.text, tuple(quotes), "ur", written, roman)
    return Normalized(text, tuple(quotes), "ur" if written == "ur" else "en", written)


def restore_quotes(text: str, quotes: tuple[str, ...]) -> str:
    if not quotes:
        return text
    return PLACEHOLDER.sub(lambda m: quotes[ord(m.group(1)) - _PH_BASE], text)


def has_placeholder(text: str) -> bool:
    return _PH_OPEN in text
