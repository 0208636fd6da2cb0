"""Idempotency-Key through HTTP: a retry acts once, a race never 500s, and a key answers only the
request it was first used for."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import httpx
import pytest

from tests.conftest import User


async def create(user: User, **fields) -> dict:
    r = await user.request("POST", "/v1/tasks", json={"title": "a task", **fields})
    assert r.status_code == 201, r.text
    return r.json()


async def events_of(pool: asyncpg.Pool, task_id: str, event_type: str) -> int:
    return await pool.fetchval(
        "SELECT count(*) FROM app.outbox WHERE topic = 'task-events'"
        " AND event->>'subject' = $1 AND event->>'type' = $2",
        f"task/{task_id}",
        event_type,
    )


def keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


# (method, path suffix, body, event type, the task's status before the call)
OPERATIONS = [
    ("PATCH", "", {"title": "renamed"}, "task.updated", "open"),
    ("POST", "/complete", None, "task.completed", "open"),
    ("POST", "/reopen", None, "task.reopened", "done"),
    ("DELETE", "", None, "task.deleted", "open"),
]


async def _prepared(user: User, status: str) -> dict:
    task = await create(user)
    if status == "done":
        r = await user.request("POST", f"/v1/tasks/{task['id']}/complete")
        assert r.status_code == 200
    return task


@pytest.mark.parametrize(("method", "suffix", "body", "event", "status"), OPERATIONS)
async def test_the_same_key_twice_acts_once(
    alice: User,
    pool: asyncpg.Pool,
    method: str,
    suffix: str,
    body: dict | None,
    event: str,
    status: str,
) -> None:
    task = await _prepared(alice, status)
    path, key = f"/v1/tasks/{task['id']}{suffix}", uuid.uuid4().hex
    first = await alice.request(method, path, json=body, headers=keyed(key))
    again = await alice.request(method, path, json=body, headers=keyed(key))
    assert first.status_code == again.status_code
    assert first.status_code in (200, 204), first.text
    assert first.content == again.content
    assert await events_of(pool, task["id"], event) == 1


@pytest.mark.parametrize(("method", "suffix", "body", "event", "status"), OPERATIONS)
async def test_concurrent_requests_with_one_key_act_once_and_never_500(
    alice: User,
    pool: asyncpg.Pool,
    method: str,
    suffix: str,
    body: dict | None,
    event: str,
    status: str,
) -> None:
    task = await _prepared(alice, status)
    path, key = f"/v1/tasks/{task['id']}{suffix}", uuid.uuid4().hex
    answers = await asyncio.gather(
        *(alice.request(method, path, json=body, headers=keyed(key)) for _ in range(4))
    )
    assert {r.status_code for r in answers} <= {200, 204, 409}, [r.text for r in answers]
    assert any(r.status_code in (200, 204) for r in answers)
    for r in answers:
        if r.status_code == 409:
            assert r.headers["content-type"] == "application/problem+json"
    assert await events_of(pool, task["id"], event) == 1


async def test_concurrent_creates_with_one_key_make_one_task(alice: User) -> None:
    key = uuid.uuid4().hex
    answers = await asyncio.gather(
        *(
            alice.request("POST", "/v1/tasks", json={"title": "once"}, headers=keyed(key))
            for _ in range(4)
        )
    )
    assert {r.status_code for r in answers} <= {200, 201}, [r.text for r in answers]
    assert len({r.json()["id"] for r in answers}) == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("POST", "/complete"), ("POST", "/complete")),  # another task
        (("POST", "/complete"), ("DELETE", "")),  # another operation
    ],
)
async def test_a_key_reused_for_another_request_is_a_problem(
    alice: User, pool: asyncpg.Pool, first: tuple[str, str], second: tuple[str, str]
) -> None:
    one, other = await create(alice, title="one"), await create(alice, title="other")
    key = uuid.uuid4().hex
    r = await alice.request(first[0], f"/v1/tasks/{one['id']}{first[1]}", headers=keyed(key))
    assert r.status_code == 200
    target = other if first == second else one
    reused = await alice.request(
        second[0], f"/v1/tasks/{target['id']}{second[1]}", headers=keyed(key)
    )
    assert reused.status_code == 422, reused.text
    assert reused.headers["content-type"] == "application/problem+json"
    assert "Idempotency-Key already used for a different request" in reused.json()["detail"]
    untouched = await alice.request("GET", f"/v1/tasks/{target['id']}")
    assert untouched.status_code == 200
    assert untouched.json()["version"] == target["version"] + (first != second)


async def test_a_create_key_cannot_be_replayed_as_a_change(alice: User) -> None:
    key = uuid.uuid4().hex
    made = await alice.request("POST", "/v1/tasks", json={"title": "new"}, headers=keyed(key))
    assert made.status_code == 201
    other = await create(alice)
    reused = await alice.request("POST", f"/v1/tasks/{other['id']}/complete", headers=keyed(key))
    assert reused.status_code == 422, reused.text
    task = await create(alice)
    key2 = uuid.uuid4().hex
    await alice.request("POST", f"/v1/tasks/{task['id']}/complete", headers=keyed(key2))
    as_create = await alice.request("POST", "/v1/tasks", json={"title": "n"}, headers=keyed(key2))
    assert as_create.status_code == 422, as_create.text


async def test_keys_belong_to_their_user(alice: User, bob: User) -> None:
    key = uuid.uuid4().hex
    a, b = await create(alice), await create(bob)
    ra = await alice.request("POST", f"/v1/tasks/{a['id']}/complete", headers=keyed(key))
    rb = await bob.request("POST", f"/v1/tasks/{b['id']}/complete", headers=keyed(key))
    assert (ra.status_code, rb.status_code) == (200, 200)


async def test_a_failed_request_does_not_use_up_its_key(
    alice: User, http: httpx.AsyncClient
) -> None:
    task = await create(alice)
    path, key = f"/v1/tasks/{task['id']}", uuid.uuid4().hex
    stale = await alice.request(
        "PATCH", path, json={"title": "x"}, headers={**keyed(key), "If-Match": '"7"'}
    )
    assert stale.status_code == 409
    ok = await alice.request("PATCH", path, json={"title": "x"}, headers=keyed(key))
    assert ok.status_code == 200
    assert ok.json()["version"] == 2


async def test_an_overlong_key_or_traceparent_is_a_422_naming_the_header(alice: User) -> None:
    for name in ("Idempotency-Key", "traceparent"):
        r = await alice.request(
            "POST", "/v1/tasks", json={"title": "a task"}, headers={name: "k" * 201}
        )
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        problem = r.json()
        assert problem["errors"] == [
            {"field": name, "message": "String should have at most 200 characters"}
        ]
    ok = await alice.request(
        "POST", "/v1/tasks", json={"title": "a task"}, headers=keyed("k" * 200)
    )
    assert ok.status_code == 201, ok.text
