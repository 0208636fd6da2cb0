"""The mutable message a parse pass works on: matched spans are blanked, never re-read.

Blanking (instead of deleting) keeps every later match's offsets valid and keeps the words on
either side of a removed phrase apart; what is left at the end is the title or the task reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from .types import ParseContext


class Doc:
    __slots__ = ("source", "text")

    def __init__(self, text: str) -> None:
        self.source = text  # as given: what a pass took is still here (the tense of a verb)
        self.text = text

    def take(self, start: int, end: int) -> None:
        if end > start:
            self.text = self.text[:start] + " " * (end - start) + self.text[end:]

    def take_match(self, match: re.Match[str], group: int | str = 0) -> None:
        self.take(match.start(group), match.end(group))

    def rest(self) -> str:
        return " ".join(self.text.split())

    def search(self, pattern: re.Pattern[str], pos: int = 0) -> re.Match[str] | None:
        return pattern.search(self.text, pos)


@dataclass(frozen=True, slots=True)
class Clock:
    """The reference moment in the user's zone, computed once per message."""

    now: datetime  # aware, local
    today: date
    naive: datetime  # naive local wall-clock, for comparisons with parsed moments
    tz: str

    @classmethod
    def of(cls, ctx: ParseContext) -> Clock:
        local = ctx.now.astimezone(ZoneInfo(ctx.timezone))
        return cls(local, local.date(), local.replace(tzinfo=None), ctx.timezone)

    def upcoming(self, at: time) -> date:
        """A time with no date: today if that moment is still ahead, else tomorrow."""
        if datetime.combine(self.today, at) >= self.naive.replace(second=0, microsecond=0):
            return self.today
        return date.fromordinal(self.today.toordinal() + 1)


@dataclass(slots=True)
class Found:
    """Facts one pass pulled out of a message, for the next passes and the assembler."""

    tags: list[str] = field(default_factory=list)
    priority: int | None = None
    notes: str | None = None
    due_date: date | None = None
    due_time: time | None = None
    date_said: bool = False
    time_said: bool = False
    part_of_day: str | None = None
