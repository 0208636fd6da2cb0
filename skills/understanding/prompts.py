"""Prompt files, read at run time (one per language skill in prompts/, global ones in
system_prompts/). Only what a model reads is a prompt: the LLM understander's labelling rules.
What the assistant asks and says is worded from graph/replies.py and decided by graph/policy.py,
and the audit record is built by code, so no prompt describes them (three files that did and were
never read are gone).

Paths resolve from this package, so it works from the repository and from an installed wheel
(both folders are packaged as top-level directories next to `skills`).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROMPTS_DIR = ROOT / "prompts"
SYSTEM_PROMPTS_DIR = ROOT / "system_prompts"
_NAME = re.compile(r"^[a-z][a-z_]*$")


class PromptNotFound(FileNotFoundError):
    pass


def _read(folder: Path, name: str) -> str:
    if not _NAME.match(name):  # a name, never a path
        raise ValueError(f"invalid prompt name: {name!r}")
    path = folder / f"{name}.md"
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError as exc:
        raise PromptNotFound(f"prompt file missing: {path}") from exc


@cache
def load_prompt(name: str) -> str:
    """A skill prompt: intent, task, reminder, recurring."""
    return _read(PROMPTS_DIR, name)


@cache
def load_system_prompt(name: str) -> str:
    """A global prompt: behaviour."""
    return _read(SYSTEM_PROMPTS_DIR, name)


@cache
def understanding_prompt() -> str:
    """The system prompt of the LLM understander: behaviour, then each skill's labelling rules."""
    parts = [load_system_prompt("behaviour")]
    parts += [load_prompt(name) for name in ("intent", "task", "reminder", "recurring")]
    return "\n\n".join(parts)
