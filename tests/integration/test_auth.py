"""Register, log in, and what happens to requests without a valid token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest

from tests.conftest import User, register


@pytest.mark.parametrize("locale", ["ur", "ur-Latn"])
async def test_register_and_login_returns_a_token_that_works(
    http: httpx.AsyncClient, locale: str
) -> None:
    user = await register(http, timezone="Asia/Karachi", locale=locale)
    r = await user.request("GET", "/v1/auth/me")
    assert r.status_code == 200
    assert r.json()["timezone"] == "Asia/Karachi"
    assert r.json()["locale"] == locale


async def test_duplicate_email_is_a_conflict_whatever_the_case(http: httpx.AsyncClient) -> None:
    user = await register(http)
    r = await http.post(
        "/v1/auth/register", json={"email": user.email.upper(), "password": "another password"}
    )
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"
    assert "exists" in r.json()["detail"]


async def test_wrong_password_and_unknown_email_get_the_same_answer(
    http: httpx.AsyncClient,
) -> None:
    user = await register(http)
    wrong = await http.post("/v1/auth/login", json={"email": user.email, "password": "nope-nope"})
    unknown = await http.post(
        "/v1/auth/login", json={"email": "nobody@example.com", "password": "nope-nope"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]


async def test_registration_validates_its_input(http: httpx.AsyncClient) -> None:
    r = await http.post(
        "/v1/auth/register",
        json={"email": "not-an-email", "password": "short", "timezone": "Mars/Olympus"},
    )
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert fields == {"email", "password", "timezone"}


async def test_requests_without_a_valid_token_are_refused(
    http: httpx.AsyncClient, settings
) -> None:
    no_token = await http.get("/v1/tasks")
    garbage = await http.get("/v1/tasks", headers={"Authorization": "Bearer not.a.token"})
    expired_token = jwt.encode(
        {
            "sub": "00000000-0000-0000-0000-000000000001",
            "iss": settings.jwt_issuer,
            "aud": settings.jwt_audience,
            "exp": datetime.now(UTC) - timedelta(minutes=1),
        },
        settings.jwt_secret.get_secret_value(),
        algorithm="HS256",
    )
    expired = await http.get("/v1/tasks", headers={"Authorization": f"Bearer {expired_token}"})
    forged_token = jwt.encode(
        {
            "sub": "00000000-0000-0000-0000-000000000001",
            "iss": settings.jwt_issuer,
            "aud": settings.jwt_audience,
            "exp": datetime.now(UTC) + timedelta(minutes=5),
        },
        "some-other-secret-0123456789abcdef0123",
        algorithm="HS256",
    )
    forged = await http.get("/v1/tasks", headers={"Authorization": f"Bearer {forged_token}"})
    for r in (no_token, garbage, expired, forged):
        assert r.status_code == 401
        assert r.headers["www-authenticate"] == "Bearer"
        assert r.headers["content-type"] == "application/problem+json"
    assert "expired" in expired.json()["detail"]


async def test_a_user_changes_their_own_settings(alice: User, bob: User) -> None:
    r = await alice.request(
        "PATCH",
        "/v1/auth/me",
        json={
            "timezone": "Europe/London",
            "locale": "ur",
            "reminder_channels": ["webhook", "in_app"],
            "webhook_url": "https://hooks.example.com/todo",
        },
    )
    assert r.status_code == 200, r.text
    me = (await alice.request("GET", "/v1/auth/me")).json()
    assert me["timezone"] == "Europe/London"
    assert me["locale"] == "ur"
    assert me["reminder_channels"] == ["webhook", "in_app"]
    assert me["webhook_url"] == "https://hooks.example.com/todo"
    # Times are now read and shown in the new zone.
    body = {"title": "tea", "due": "2027-07-05T17:00"}
    task = await alice.request("POST", "/v1/tasks", json=body)
    assert task.json()["due_local"].startswith("2027-07-05T17:00:00+01:00")
    assert datetime.fromisoformat(task.json()["due"]).astimezone(UTC).hour == 16
    assert (await bob.request("GET", "/v1/auth/me")).json()["timezone"] == "America/New_York"


async def test_bad_settings_are_refused_with_a_reason(alice: User) -> None:
    cases = [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"locale": "fr"}, "locale"),
        ({"reminder_channels": ["pigeon"]}, "reminder_channels"),
        ({"reminder_channels": []}, "reminder_channels"),
        ({"webhook_url": "not a url"}, "webhook_url"),
        ({"reminder_channels": ["webhook"]}, "webhook"),  # no URL to post to
        ({"email": "new@example.com"}, "email"),  # not a setting
        ({"timezone": None}, "timezone"),
        ({"locale": None}, "locale"),
        ({"reminder_channels": None}, "reminder_channels"),
    ]
    for body, word in cases:
        r = await alice.request("PATCH", "/v1/auth/me", json=body)
        assert r.status_code == 422, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert word in r.text
    me = (await alice.request("GET", "/v1/auth/me")).json()
    assert me["reminder_channels"] == ["email", "in_app"]
    assert me["timezone"] == "Asia/Karachi"
    cleared = await alice.request("PATCH", "/v1/auth/me", json={"webhook_url": None})
    assert cleared.status_code == 200
    assert cleared.json()["webhook_url"] is None
