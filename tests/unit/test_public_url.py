"""PUBLIC_URL names where OAuth and MCP clients are sent: unset, it follows HOST and PORT."""

from __future__ import annotations

import pytest

from core.settings import Settings


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"port": 9123}, "http://127.0.0.1:9123"),
        ({"host": "0.0.0.0", "port": 8443}, "http://127.0.0.1:8443"),
        ({"host": "::1", "port": 8001}, "http://[::1]:8001"),
        ({"public_url": "https://todo.example.com/", "port": 9}, "https://todo.example.com"),
    ],
)
def test_public_url_follows_the_listener_unless_set(env: dict, expected: str) -> None:
    assert Settings(_env_file=None, **env).public_url == expected


def test_the_port_from_the_environment_moves_the_public_url(monkeypatch) -> None:
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    monkeypatch.setenv("PORT", "8765")
    assert Settings(_env_file=None).public_url == "http://127.0.0.1:8765"
