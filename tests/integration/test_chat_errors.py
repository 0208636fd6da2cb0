"""A refused tool call in chat is worded from its code in the user's language: never a pydantic
message, an exception's text or an id."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.conftest import register

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
LEAKS = ("String should", "title:", "validation", "Error executing", "Traceback", "pydantic")


@pytest.mark.parametrize(
    ("locale", "message", "worded"),
    [
        ("en", "add " + "walk the dog and " * 40 + "feed the cat", "too long"),
        ("ur", "دودھ خریدنا اور " * 40 + "شامل کرو", "بہت لمبا"),
    ],
)
async def test_a_title_too_long_is_worded_in_the_users_language(
    http: httpx.AsyncClient, locale: str, message: str, worded: str
) -> None:
    user = await register(http, timezone="Asia/Karachi", locale=locale)
    r = await user.request("POST", "/v1/chat", json={"message": message})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["actions"] == []
    assert worded in body["reply"]
    assert "500" in body["reply"]
    assert not UUID.search(body["reply"])
    assert not any(leak in body["reply"] for leak in LEAKS), body["reply"]
    listed = await user.request("GET", "/v1/tasks")
    assert listed.json()["items"] == []
