"""Hostile or out-of-range input through HTTP: a clear 4xx problem naming the field, never a 500,
and nothing written."""

from __future__ import annotations

import base64
import uuid

import httpx
import pytest

from tests.conftest import User

NUL = "\u0000"
RANGE = "between 1900-01-01 and 9999-12-30"


async def create(user: User, **fields) -> dict:
    r = await user.request("POST", "/v1/tasks", json={"title": "a task", **fields})
    assert r.status_code == 201, r.text
    return r.json()


def assert_problem(r: httpx.Response, status: int, field: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["status"] == status
    assert problem["detail"]
    if field is not None:
        fields = [e["field"] for e in problem["errors"]]
        assert field in fields, fields
    return problem


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"due": "9999-12-31T23:00:00-05:00"}, "due"),
        ({"due": "0001-01-01T00:00:00+05:00"}, "due"),
        ({"due": "9999-12-31T23:00:00"}, "due"),  # naive: read in New York, past year 9999
        ({"due": "0001-01-01T00:00:00"}, "due"),
        ({"due": "1850-06-01T00:00:00Z"}, "due"),
        ({"due_date": "9999-12-31"}, "due_date"),  # New York's midnight is already year 10000
        ({"due_date": "0001-01-01"}, "due_date"),
        ({"reminders": [{"at": "9999-12-31T23:00:00-05:00"}]}, "reminders.0.at"),
        ({"reminders": [{"at": "0001-01-01T00:00:00"}]}, "reminders.0.at"),
    ],
)
async def test_out_of_range_dates_are_a_clear_422(bob: User, body: dict, field: str) -> None:
    r = await bob.request("POST", "/v1/tasks", json={"title": "far away", **body})
    problem = assert_problem(r, 422, field)
    assert RANGE in problem["detail"]
    listed = await bob.request("GET", "/v1/tasks")
    assert all(t["title"] != "far away" for t in listed.json()["items"])


async def test_the_edges_of_the_range_are_accepted_and_shown_in_any_zone(alice: User) -> None:
    # Karachi is UTC+5: the latest instant still has a local time that a datetime can hold.
    late = await create(alice, due="9999-12-30T23:59:59Z")
    assert late["due_local"] == "9999-12-31T04:59:59+05:00"
    early = await create(alice, due="1900-01-01T00:00:00Z", reminders=[{"offset_minutes": 60}])
    assert early["due"] == "1900-01-01T00:00:00Z"


async def test_out_of_range_dates_in_a_patch_change_nothing(bob: User) -> None:
    task = await create(bob, due="2026-12-01T10:00:00Z")
    path = f"/v1/tasks/{task['id']}"
    for body, field in [
        ({"due": "9999-12-31T23:00:00-05:00"}, "due"),
        ({"due_date": "9999-12-31"}, "due_date"),
        ({"reminders": [{"at": "9999-12-31T23:59:59"}]}, "reminders.0.at"),
    ]:
        assert_problem(await bob.request("PATCH", path, json=body), 422, field)
    after = await bob.request("GET", path)
    assert after.json()["version"] == 1
    assert after.json()["due"] == "2026-12-01T10:00:00Z"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"due_from": "9999-12-31T23:00:00-05:00"}, "due_from"),
        ({"due_to": "0001-01-01T00:00:00"}, "due_to"),
        ({"due_to": "9999-12-31"}, "due_to"),
    ],
)
async def test_out_of_range_list_filters_are_a_clear_422(
    bob: User, params: dict, field: str
) -> None:
    assert_problem(await bob.request("GET", "/v1/tasks", params=params), 422, field)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "9999-12-31T23:00:00-05:00"}, "since"),
        ({"until": "0001-01-01T00:00:00"}, "until"),
    ],
)
async def test_out_of_range_audit_filters_are_a_clear_422(
    bob: User, params: dict, field: str
) -> None:
    assert_problem(await bob.request("GET", "/v1/audit", params=params), 422, field)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": f"pay{NUL}rent"}, "title"),
        ({"title": "x", "notes": f"a{NUL}"}, "notes"),
        ({"title": "x", "tags": [f"ho{NUL}me"]}, "tags"),
    ],
)
async def test_nul_characters_in_a_task_are_a_clear_422(
    alice: User, body: dict, field: str
) -> None:
    r = await alice.request("POST", "/v1/tasks", json=body)
    problem = assert_problem(r, 422, field)
    assert "NUL" in problem["detail"]


async def test_nul_characters_in_a_patch_change_nothing(alice: User) -> None:
    task = await create(alice, title="clean")
    path = f"/v1/tasks/{task['id']}"
    for body, field in [
        ({"title": f"x{NUL}"}, "title"),
        ({"notes": NUL}, "notes"),
        ({"tags": [NUL]}, "tags"),
    ]:
        assert_problem(await alice.request("PATCH", path, json=body), 422, field)
    assert (await alice.request("GET", path)).json()["version"] == 1


@pytest.mark.parametrize(("name", "field"), [("q", "q"), ("tag", "tag")])
async def test_nul_characters_in_list_filters_are_a_clear_422(
    alice: User, name: str, field: str
) -> None:
    r = await alice.request("GET", "/v1/tasks", params={name: f"milk{NUL}"})
    assert_problem(r, 422, field)


async def test_nul_characters_in_audit_filters_are_a_clear_422(alice: User) -> None:
    r = await alice.request("GET", "/v1/audit", params={"type": f"task.created{NUL}"})
    assert_problem(r, 422, "type.0")


@pytest.mark.parametrize("path", ["/v1/chat", "/v1/chat/stream"])
async def test_nul_characters_in_a_chat_message_are_a_clear_422(alice: User, path: str) -> None:
    r = await alice.request("POST", path, json={"message": f"buy milk{NUL} tomorrow"})
    assert_problem(r, 422, "message")
    conversations = await alice.request("GET", "/v1/conversations")
    assert conversations.json() == []  # no conversation was half-started


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "raw",
    [
        f"audit:{2**63}",
        f"audit:{-(2**63) - 1}",
        "audit:" + "9" * 120,
        "audit:",
        "tasks:1",
    ],
)
async def test_crafted_audit_cursors_are_a_400(alice: User, raw: str) -> None:
    r = await alice.request("GET", "/v1/audit", params={"cursor": _cursor(raw)})
    problem = assert_problem(r, 400)
    assert problem["title"] == "Invalid cursor"


@pytest.mark.parametrize(
    "raw",
    [
        f"0001-01-01T00:00:00+05:00|{uuid.uuid4()}",
        f"9999-12-31T23:59:59-05:00|{uuid.uuid4()}",
        f"2026-01-01T00:00:00|{uuid.uuid4()}",
        "2026-01-01T00:00:00+00:00|not-a-uuid",
        f"2026-01-01T00:00:00{NUL}|{uuid.uuid4()}",
    ],
)
async def test_crafted_task_cursors_never_500(alice: User, raw: str) -> None:
    r = await alice.request("GET", "/v1/tasks", params={"cursor": _cursor(raw)})
    assert r.status_code in (200, 400), r.text
    assert r.status_code == 200 or r.json()["title"] == "Invalid cursor"


@pytest.mark.parametrize(
    "body",
    [
        {"email": f"a{NUL}b@example.com", "password": "correct horse battery"},
        {"email": f"u{uuid.uuid4().hex[:8]}@example.com", "password": "x" * 9, "timezone": NUL},
    ],
)
async def test_nul_characters_in_a_registration_are_a_clear_422(
    http: httpx.AsyncClient, body: dict
) -> None:
    assert_problem(await http.post("/v1/auth/register", json=body), 422)
