"""One sentence from a pydantic error: what the API's problem details, the store and the MCP tools
say when input is refused (pydantic's own wording, without its "Value error, " prefix)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError


def error_message(error: Mapping[str, Any]) -> str:
    """The message of one entry of `ValidationError.errors()`."""
    return str(error.get("msg", "is invalid")).removeprefix("Value error, ")


def error_field(loc: tuple[Any, ...]) -> str:
    """Where an error is, as a dotted path without FastAPI's request-part prefix."""
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts)


def first_error(exc: Exception) -> str:
    """`field: message` of the first error of a ValidationError; any other error's text."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = error_field(tuple(first.get("loc", ())))
        msg = error_message(first)
        return f"{where}: {msg}" if where else msg
    return str(exc)
