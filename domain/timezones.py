"""Time zones, loaded once: pendulum re-reads the tz database file on every lookup by name."""

from __future__ import annotations

from functools import lru_cache

import pendulum
from pendulum.tz.timezone import FixedTimezone, Timezone

UTC = pendulum.UTC


@lru_cache(maxsize=1024)
def zone(name: str) -> Timezone | FixedTimezone:
    return pendulum.timezone(name)
