"""Rules understanding: time per message on a typical mix (English and Urdu), once warmed.

    .venv/bin/python -m bench.bench_understanding --rounds 200

Target: well under 1 ms a message on one core. A figure, not a test: timings on a shared machine
are not pass/fail.
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from skills.understanding import ParseContext, understand_sync

MESSAGES = (
    "کل شام 5 بجے امی کو فون کرنا یاد دلانا",
    "move the dentist to friday",
    "buy milk tomorrow #home p2",
    "water plants every other tuesday at 7am",
    "what's due this week",
    "دودھ والا کام مکمل کر دو",
    "remind me about the dentist tomorrow at 9",
    "ہر اتوار شام 7 بجے امی کو فون کرنا",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    ctx = ParseContext(now=datetime.now(ZoneInfo("Asia/Karachi")), timezone="Asia/Karachi")
    for text in MESSAGES:  # warm caches (zoneinfo, rrule, regexes)
        understand_sync(text, ctx)
    start = time.perf_counter()
    for _ in range(args.rounds):
        for text in MESSAGES:
            understand_sync(text, ctx)
    per_message = (time.perf_counter() - start) / (args.rounds * len(MESSAGES))
    print(f"rules understanding: {per_message * 1e6:.0f} µs per message "
          f"({args.rounds * len(MESSAGES)} messages)")  # fmt: skip


if __name__ == "__main__":
    main()
