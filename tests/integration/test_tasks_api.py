"""The task REST API through HTTP: the lifecycle, filters, pagination, versions, errors."""

from __future__ import annotations

import base64
import uuid

import httpx
import pytest

from tests.conftest import User, register


async def create(user: User, **fields) -> dict:
    r = await user.request("POST", "/v1/tasks", json={"title": "a task", **fields})
    assert r.status_code == 201, r.text
    return r.json()


async def test_task_lifecycle(alice: User) -> None:
    task = await create(
        alice,
        title="Pay rent",
        priority=1,
        tags=["Home", "#money"],
        due="2026-12-01T09:00:00",
        reminders=[{"offset_minutes": 30}],
        notes="landlord's account",
    )
    assert task["due"] == "2026-12-01T04:00:00Z"  # 09:00 in Karachi (UTC+5) is 04:00 UTC
    assert task["due_local"] == "2026-12-01T09:00:00+05:00"
    assert task["tags"] == ["home", "money"]
    assert task["version"] == 1

    got = await alice.request("GET", f"/v1/tasks/{task['id']}")
    assert got.json() == task
    assert got.headers["etag"] == '"1"'

    patched = await alice.request(
        "PATCH",
        f"/v1/tasks/{task['id']}",
        json={"title": "Pay the rent", "notes": None},
        headers={"If-Match": '"1"'},
    )
    assert patched.status_code == 200
    assert patched.json()["title"] == "Pay the rent"
    assert patched.json()["notes"] is None
    assert patched.json()["version"] == 2

    done = await alice.request("POST", f"/v1/tasks/{task['id']}/complete")
    assert done.json()["status"] == "done"
    assert done.json()["completed_at"] is not None
    reopened = await alice.request("POST", f"/v1/tasks/{task['id']}/reopen")
    assert reopened.json()["status"] == "open"
    assert reopened.json()["completed_at"] is None

    deleted = await alice.request("DELETE", f"/v1/tasks/{task['id']}")
    assert deleted.status_code == 204
    gone = await alice.request("GET", f"/v1/tasks/{task['id']}")
    assert gone.status_code == 404
    assert gone.headers["content-type"] == "application/problem+json"


async def test_all_day_due_is_local_midnight(bob: User) -> None:
    task = await create(bob, due_date="2026-03-08")  # New York, the day DST starts
    assert task["all_day"] is True
    assert task["due"] == "2026-03-08T05:00:00Z"
    assert task["due_local"] == "2026-03-08"


async def test_version_conflict_is_409_and_changes_nothing(alice: User) -> None:
    task = await create(alice, title="original")
    first = await alice.request(
        "PATCH", f"/v1/tasks/{task['id']}", json={"title": "first"}, headers={"If-Match": '"1"'}
    )
    assert first.status_code == 200
    stale = await alice.request(
        "PATCH", f"/v1/tasks/{task['id']}", json={"title": "second", "version": 1}
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    stale_delete = await alice.request(
        "DELETE", f"/v1/tasks/{task['id']}", headers={"If-Match": '"1"'}
    )
    assert stale_delete.status_code == 409
    now = await alice.request("GET", f"/v1/tasks/{task['id']}")
    assert now.json()["title"] == "first"


async def test_list_filters(http: httpx.AsyncClient) -> None:
    user = await register(http, timezone="UTC")
    a = await create(user, title="Buy milk", tags=["shop"], priority=2, due="2026-12-01T10:00:00Z")
    b = await create(
        user, title="Call mom", tags=["family"], priority=1, due="2026-12-05T10:00:00Z"
    )
    c = await create(user, title="Read book", notes="about milk production")
    await user.request("POST", f"/v1/tasks/{b['id']}/complete")

    async def ids(**params) -> set[str]:
        r = await user.request("GET", "/v1/tasks", params=params)
        assert r.status_code == 200, r.text
        return {t["id"] for t in r.json()["items"]}

    assert await ids() == {a["id"], b["id"], c["id"]}
    assert await ids(status="open") == {a["id"], c["id"]}
    assert await ids(status="done") == {b["id"]}
    assert await ids(tag="shop") == {a["id"]}
    assert await ids(priority=1) == {b["id"]}
    assert await ids(q="MILK") == {a["id"], c["id"]}
    assert await ids(due_from="2026-12-02", due_to="2026-12-31") == {b["id"]}
    assert await ids(q="%") == set()  # wildcards are literal


async def test_cursor_pagination_walks_every_task_once(http: httpx.AsyncClient) -> None:
    user = await register(http)
    made = {(await create(user, title=f"t{i}"))["id"] for i in range(7)}
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = (await user.request("GET", "/v1/tasks", params=params)).json()
        seen += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 7
    assert set(seen) == made


async def test_users_cannot_touch_each_others_tasks(alice: User, bob: User) -> None:
    task = await create(alice, title="alice's secret")
    path = f"/v1/tasks/{task['id']}"
    attempts = [
        await bob.request("GET", path),
        await bob.request("PATCH", path, json={"title": "hacked"}),
        await bob.request("POST", f"{path}/complete"),
        await bob.request("POST", f"{path}/reopen"),
        await bob.request("DELETE", path),
    ]
    assert [r.status_code for r in attempts] == [404] * 5
    listed = await bob.request("GET", "/v1/tasks", params={"q": "secret"})
    assert listed.json()["items"] == []
    untouched = await alice.request("GET", path)
    assert untouched.json()["title"] == "alice's secret"
    assert untouched.json()["version"] == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 501}, "title"),
        ({"title": "x", "priority": 9}, "priority"),
        ({"title": "x", "due": "tomorrow-ish"}, "due"),
        ({"title": "x", "reminders": [{"offset_minutes": 10}]}, "body"),
        (
            {"title": "x", "recurrence": {"rrule": "EVERY SUNDAY"}, "due": "2026-12-01T10:00:00Z"},
            "recurrence.rrule",
        ),
        ({"title": "x", "unknown": 1}, "unknown"),
        ({"title": "x", "due": "2026-12-01T10:00:00Z", "due_date": "2026-12-01"}, "body"),
        ({"title": "x", "tags": ["#"]}, "tags"),
    ],
)
async def test_invalid_tasks_get_a_clear_422(alice: User, body: dict, field: str) -> None:
    r = await alice.request("POST", "/v1/tasks", json=body)
    assert r.status_code == 422, r.text
    problem = r.json()
    assert r.headers["content-type"] == "application/problem+json"
    assert problem["status"] == 422
    assert problem["title"] == "Invalid input"
    assert any(e["field"].startswith(field) or field == "body" for e in problem["errors"])
    listed = await alice.request("GET", "/v1/tasks")
    assert all(t["title"] != "x" for t in listed.json()["items"])  # nothing half-written


FAR = "9999-12-31T23:00:00-05:00"  # year 10000 in UTC


def _b64(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


async def test_malformed_requests_never_500(alice: User) -> None:
    task = await create(alice, title="target")
    cases = [
        await alice.request(
            "POST", "/v1/tasks", content=b"{not json", headers={"content-type": "application/json"}
        ),
        await alice.request("POST", "/v1/tasks", json=["a", "list"]),
        await alice.request("GET", "/v1/tasks/not-a-uuid"),
        await alice.request("GET", "/v1/tasks", params={"cursor": "garbage!!"}),
        await alice.request("GET", "/v1/tasks", params={"limit": 0}),
        await alice.request("PATCH", f"/v1/tasks/{uuid.uuid4()}", json={}),
        await alice.request(
            "PATCH",
            f"/v1/tasks/{uuid.uuid4()}",
            json={"title": "x"},
            headers={"If-Match": "banana"},
        ),
        await alice.request("PUT", "/v1/tasks"),
        await alice.request("GET", "/nowhere"),
        # Dates a datetime cannot hold once moved to UTC or to the user's zone.
        await alice.request("POST", "/v1/tasks", json={"title": "x", "due": FAR}),
        await alice.request("PATCH", f"/v1/tasks/{task['id']}", json={"due": FAR}),
        await alice.request("PATCH", f"/v1/tasks/{task['id']}", json={"due_date": "0001-01-01"}),
        await alice.request("GET", "/v1/tasks", params={"due_from": FAR}),
        await alice.request("GET", "/v1/tasks", params={"due_to": "0001-01-01T00:00:00"}),
        await alice.request("GET", "/v1/audit", params={"since": FAR}),
        # NUL, which Postgres cannot store or compare.
        await alice.request("POST", "/v1/tasks", json={"title": "a\u0000b"}),
        await alice.request("PATCH", f"/v1/tasks/{task['id']}", json={"notes": "\u0000"}),
        await alice.request("POST", "/v1/tasks", json={"title": "x", "tags": ["\u0000"]}),
        await alice.request("GET", "/v1/tasks", params={"q": "\u0000"}),
        await alice.request("POST", "/v1/chat", json={"message": "hi\u0000"}),
        # Cursors nobody handed out.
        await alice.request("GET", "/v1/audit", params={"cursor": _b64(f"audit:{2**63}")}),
        await alice.request(
            "GET", "/v1/tasks", params={"cursor": _b64(f"0001-01-01T00:00+05:00|{task['id']}")}
        ),
    ]
    statuses = [r.status_code for r in cases]
    assert statuses == [400, 422, 422, 400, 422, 422, 400, 405, 404, *[422] * 11, 400, 400]
    for r in cases:
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["detail"]


async def test_patch_cannot_break_cross_field_rules(alice: User) -> None:
    task = await create(alice, due="2026-12-01T10:00:00Z", reminders=[{"offset_minutes": 5}])
    r = await alice.request("PATCH", f"/v1/tasks/{task['id']}", json={"due": None})
    assert r.status_code == 422
    assert "offset" in r.json()["detail"]
    still = await alice.request("GET", f"/v1/tasks/{task['id']}")
    assert still.json()["due"] == "2026-12-01T10:00:00Z"


async def test_request_id_is_taken_or_made_and_returned(http: httpx.AsyncClient) -> None:
    given = await http.get("/health", headers={"X-Request-ID": "req-123"})
    assert given.headers["x-request-id"] == "req-123"
    made = await http.get("/health")
    assert len(made.headers["x-request-id"]) == 32


async def test_ops_endpoints(http: httpx.AsyncClient, alice: User) -> None:
    assert (await http.get("/health")).json() == {"status": "ok"}
    ready = await http.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "broker": "ok"}
    await create(alice)
    metrics = (await http.get("/metrics")).text
    assert 'http_requests_total{method="POST",route="/v1/tasks",status="201"}' in metrics
    assert "http_request_duration_seconds_bucket" in metrics
    assert "outbox_backlog " in metrics
    docs = await http.get("/openapi.json")
    assert "/v1/tasks/{task_id}" in docs.json()["paths"]
