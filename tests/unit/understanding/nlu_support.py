"""Shared fixed clocks for the understanding tests (no test reads the real time)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from skills.understanding import ParseContext, Understanding, understand_sync

KARACHI = "Asia/Karachi"
NEW_YORK = "America/New_York"

# Friday 13 March 2026, 10:00 in Karachi: most tables below are written against this moment.
NOW = datetime(2026, 3, 13, 10, 0, tzinfo=ZoneInfo(KARACHI))
CTX = ParseContext(now=NOW, timezone=KARACHI)


def ctx_at(y: int, mo: int, d: int, h: int = 10, mi: int = 0, tz: str = KARACHI) -> ParseContext:
    return ParseContext(now=datetime(y, mo, d, h, mi, tzinfo=ZoneInfo(tz)), timezone=tz)


def parse(text: str, ctx: ParseContext = CTX) -> Understanding:
    return understand_sync(text, ctx)


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


def t(hour: int, minute: int = 0) -> time:
    return time(hour, minute)
