"""Tool failures carry codes; replies are worded from the code, in English and Urdu."""

from __future__ import annotations

import pytest
from mcp.server.fastmcp.exceptions import ToolError

from domain.models import TaskCreate
from domain.recurrence import InvalidRecurrence
from domain.store.errors import NotFound, VersionConflict
from graph.replies import TEXT, error
from tools.client import failure


def _chained(inner: Exception) -> Exception:
    """As FastMCP raises it: its ToolError, from ours, from the domain's refusal."""
    try:
        try:
            raise ToolError("title: String should have at most 500 characters") from inner
        except ToolError as ours:
            raise ToolError(f"Error executing tool create_task: {ours}") from ours
    except ToolError as outer:
        return outer


def _validation_error() -> Exception:
    try:
        TaskCreate(title="x" * 600)
    except Exception as exc:
        return exc
    raise AssertionError("a 600-character title validated")


@pytest.mark.parametrize(
    ("inner", "code"),
    [
        (NotFound("there is no task 6f1c…"), "not_found"),
        (VersionConflict("stale", 3), "conflict"),
        (InvalidRecurrence("FREQ=SECONDLY"), "invalid_rule"),
        (RuntimeError("boom"), "failed"),
    ],
)
def test_the_code_comes_from_the_first_domain_error_in_the_chain(inner, code) -> None:
    assert failure(_chained(inner)).code == code


def test_a_title_too_long_is_coded_with_its_limit_and_worded_without_the_pydantic_text() -> None:
    failed = failure(_chained(_validation_error()))
    assert (failed.code, failed.values) == ("title_too_long", {"max": "500"})
    english, urdu = (error(lang, failed.code, **failed.values) for lang in ("en", "ur"))
    assert "500" in english
    assert "too long" in english
    assert urdu == "کام کا نام بہت لمبا ہے: زیادہ سے زیادہ 500 حروف۔"
    for reply in (english, urdu):
        assert "String should" not in reply
        assert "title:" not in reply


@pytest.mark.parametrize("lang", ["en", "ur", "ur-Latn"])
def test_every_error_code_is_worded_in_each_language(lang: str) -> None:
    codes = [k.removeprefix("error_") for k in TEXT["en"] if k.startswith("error_")]
    assert set(codes) >= {"not_found", "conflict", "invalid", "title_too_long", "invalid_rule"}
    for code in codes:
        assert set(TEXT["en"]) <= set(TEXT[lang])
        assert error(lang, code, max="500")
    assert error(lang, "something_new") == error(lang, "failed")
