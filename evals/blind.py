"""Blind rounds: commands nobody on the team tuned the grammar on, scored once before and after.

Each round is a frozen file `evals/blind/<round>.jsonl` in the goldens' format, written and
committed *before* the grammar work it measures. Scoring is exact match (the goldens' ExactMatch
rules) per language, so the before/after figures of a round are comparable:

    python -m evals.blind round4
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from evals.compare import understanding_diffs
from evals.goldens import Golden, read_file
from skills.understanding.rules import understand_sync

BLIND_DIR = Path(__file__).parent / "blind"


@dataclass
class Score:
    exact: int = 0
    total: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.exact / self.total if self.total else 0.0


def wrong_parts(golden: Golden) -> list[str]:
    """What the rules backend got wrong on one command (empty: an exact match)."""
    got = understand_sync(golden.input, golden.context())
    meta = {"language": golden.language, "timezone": golden.timezone}
    return understanding_diffs(got.model_dump(mode="json"), golden.expected, meta)


def score(name: str) -> dict[str, Score]:
    scores: dict[str, Score] = defaultdict(Score)
    for golden in read_file(BLIND_DIR / f"{name}.jsonl"):
        cell = scores[golden.language]
        cell.total += 1
        if wrong := wrong_parts(golden):
            cell.failures.append(f"{golden.id} {golden.input!r}: {'; '.join(wrong)}")
        else:
            cell.exact += 1
    return dict(scores)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("round", help="file name in evals/blind without .jsonl")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args()
    for language, cell in sorted(score(args.round).items()):
        print(f"{language:8} {cell.exact:3}/{cell.total:3} exact = {cell.ratio:.1%}")
        if args.verbose:
            print("\n".join(f"    {line}" for line in cell.failures))


if __name__ == "__main__":
    main()
