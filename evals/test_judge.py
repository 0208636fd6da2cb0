"""LLM-judged title quality: only when a judge model is configured, otherwise skipped.

EVALS_JUDGE_MODEL=<ollama model> with EVALS_JUDGE_BASE_URL (or OLLAMA_BASE_URL) pointing at an
Ollama server. Not part of the baseline: a judge is not deterministic.
"""

from __future__ import annotations

import json
import os

import pytest
from deepeval.evaluate import assert_test
from deepeval.metrics import BaseMetric
from deepeval.test_case import LLMTestCase, SingleTurnParams

from evals.goldens import Golden, load
from evals.harness import runner
from evals.runner import RULES

JUDGE_MODEL = os.environ.get("EVALS_JUDGE_MODEL")
JUDGE_URL = os.environ.get("EVALS_JUDGE_BASE_URL") or os.environ.get("OLLAMA_BASE_URL")
CONFIGURED = bool(JUDGE_MODEL and JUDGE_URL)
SAMPLE = (
    [g for g in load("task") if g.expected.get("task", {}).get("title")][::4] if CONFIGURED else []
)

pytestmark = pytest.mark.skipif(
    not CONFIGURED,
    reason="no judge model configured (EVALS_JUDGE_MODEL + EVALS_JUDGE_BASE_URL/OLLAMA_BASE_URL)",
)


@pytest.mark.parametrize("golden", SAMPLE, ids=[g.id for g in SAMPLE])
def test_title_is_faithful(golden: Golden) -> None:
    from deepeval.metrics import GEval
    from deepeval.models import OllamaModel

    outcome = runner().understand(RULES, golden)
    title = outcome.understanding.task.title if outcome.understanding else None
    metric = GEval(
        name="TitleFaithfulness",
        criteria=(
            "The actual output is the title of a todo item taken from the user's message. It "
            "must keep the user's words for what to do, in the user's language, and leave out "
            "command words, dates, times, priorities and tags."
        ),
        evaluation_params=[SingleTurnParams.INPUT, SingleTurnParams.ACTUAL_OUTPUT],
        model=OllamaModel(model=JUDGE_MODEL, base_url=JUDGE_URL),
        threshold=0.5,
        async_mode=False,
    )
    case = LLMTestCase(
        input=golden.input,
        actual_output=json.dumps(title, ensure_ascii=False),
        expected_output=json.dumps(golden.expected["task"]["title"], ensure_ascii=False),
    )
    judged: list[BaseMetric] = [metric]
    assert_test(case, judged, run_async=False)
