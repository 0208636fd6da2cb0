"""English words the grammar is composed from (lower-case; patterns compile case-insensitive)."""

from __future__ import annotations

import re
from collections.abc import Iterable

WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
# Abbreviations that are not ordinary English words may stand alone ("call mom fri 5pm");
# "wed", "sat", "sun" are words too and need a qualifier ("on sat", "next sun").
WEEKDAY_ABBR_SAFE: dict[str, int] = {
    "mon": 0, "tue": 1, "tues": 1, "thu": 3, "thur": 3, "thurs": 3, "fri": 4,
}  # fmt: skip
WEEKDAY_ABBR_WORDS: dict[str, int] = {"wed": 2, "weds": 2, "sat": 5, "sun": 6}

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "forty five": 45, "forty-five": 45, "sixty": 60,
    "ninety": 90, "couple of": 2, "a couple of": 2, "few": 3, "a few": 3,
}  # fmt: skip

ORDINALS: dict[str, int] = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "last": -1,
}  # fmt: skip

_UNITS_ORD = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
# "on the first", "the fifteenth of may", "the twenty-first": a day of the month in words
DAY_ORDINALS: dict[str, int] = {
    **{word: i for i, word in enumerate(_UNITS_ORD, start=1)},
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "thirty-first": 31, "thirty first": 31,
    **{f"twenty{sep}{word}": 20 + i for i, word in enumerate(_UNITS_ORD, 1) for sep in ("-", " ")},
}  # fmt: skip

# part of day → (default hour, how a bare hour next to it is read)
PARTS_OF_DAY: dict[str, tuple[int, str]] = {
    "morning": (9, "am"), "afternoon": (15, "pm"), "evening": (18, "pm"), "night": (21, "night"),
    "tonight": (21, "night"),
}  # fmt: skip

PRIORITY_WORDS: dict[str, int] = {
    "urgent": 1, "urgently": 1, "asap": 1, "very important": 1, "critical": 1,
    "highest priority": 1, "top priority": 1, "priority 1": 1, "important": 2,
    "high priority": 2, "priority 2": 2, "medium priority": 3, "normal priority": 3,
    "priority 3": 3, "low priority": 4, "lowest priority": 4, "not important": 4,
    "not urgent": 4, "priority 4": 4,
}  # fmt: skip

UNITS_MINUTES: dict[str, int] = {
    "minute": 1, "minutes": 1, "min": 1, "mins": 1, "hour": 60, "hours": 60, "hr": 60, "hrs": 60,
    "day": 1440, "days": 1440, "week": 10080, "weeks": 10080,
}  # fmt: skip


def alt(words: Iterable[str]) -> str:
    """A regex alternation, longest first so 'thurs' wins over 'thu'; spaces match any run."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) + ")"


def number(token: str, words: dict[str, int] = NUMBER_WORDS) -> int | None:
    """'3' → 3, 'three' → 3, 'an' → 1; None for anything else."""
    token = " ".join(token.lower().split())
    if token.isdigit():
        return int(token)
    return words.get(token)


NUM = r"(?:\d{1,3}|" + alt(NUMBER_WORDS) + ")"
