"""Every prompt file shipped is one the LLM understander reads: no dead prompts."""

from __future__ import annotations

from skills.understanding.prompts import PROMPTS_DIR, SYSTEM_PROMPTS_DIR, understanding_prompt


def test_every_prompt_file_is_part_of_the_understanding_prompt() -> None:
    prompt = understanding_prompt()
    files = [*PROMPTS_DIR.glob("*.md"), *SYSTEM_PROMPTS_DIR.glob("*.md")]
    assert files
    for path in files:
        assert path.read_text(encoding="utf-8").strip() in prompt, path.name
