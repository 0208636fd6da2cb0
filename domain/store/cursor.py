"""The one codec of the opaque page cursors the API hands out: a kind and a position, URL-safe.

The kind keeps a cursor of one list from being replayed on another; decoding refuses anything this
API could not have produced, so a crafted cursor is a 400, never a query error.
"""

from __future__ import annotations

import base64

from domain.store.errors import InvalidCursor

_SEP = "|"


def encode(kind: str, *position: str) -> str:
    raw = _SEP.join((kind, *position)).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(kind: str, cursor: str, parts: int) -> list[str]:
    """The `parts` position fields of a cursor of this `kind`; InvalidCursor otherwise."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError) as exc:
        raise refused() from exc
    fields = raw.split(_SEP)
    if len(fields) != parts + 1 or fields[0] != kind:
        raise refused()
    return fields[1:]


def refused() -> InvalidCursor:
    return InvalidCursor("the cursor is not one this API handed out")
