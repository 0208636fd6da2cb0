"""The OpenAPI document tells the truth: every error an operation can answer is documented as
problem+json with examples, the real errors match the documented schema, the event stream's
media type is there, and a query parameter a route does not take is refused."""

from __future__ import annotations

import uuid

import httpx
import jsonschema
import pytest

from tests.conftest import User

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
async def spec(api_url: str) -> dict:
    async with httpx.AsyncClient(timeout=10) as client:
        return (await client.get(f"{api_url}/openapi.json")).json()


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            yield method.upper(), path, op


def problem_schema(spec: dict) -> dict:
    return {"$ref": "#/components/schemas/ProblemOut", "components": spec["components"]}


def test_every_error_of_every_operation_is_a_documented_problem_with_examples(spec: dict) -> None:
    seen_statuses: set[str] = set()
    for method, path, op in operations(spec):
        errors = {s: r for s, r in op["responses"].items() if s[0] in "45"}
        assert "500" in errors, (method, path)
        if op.get("security"):
            assert {"401", "403"} <= set(errors), (method, path)
        if "{" in path:
            assert "404" in errors, (method, path)
        for status, response in errors.items():
            content = response["content"]
            assert list(content) == [PROBLEM], (method, path, status)
            examples = content[PROBLEM]["examples"]
            assert examples, (method, path, status)
            for example in examples.values():
                assert str(example["value"]["status"]) == status
                jsonschema.validate(example["value"], problem_schema(spec))
            seen_statuses.add(status)
    assert {"400", "401", "403", "404", "409", "422", "500"} <= seen_statuses
    assert "HTTPValidationError" not in spec["components"]["schemas"]


def test_version_and_idempotency_conflicts_are_where_they_can_happen(spec: dict) -> None:
    patch = spec["paths"]["/v1/tasks/{task_id}"]["patch"]["responses"]
    assert {"version-conflict", "idempotency-key-in-use"} <= set(
        patch["409"]["content"][PROBLEM]["examples"]
    )
    create = spec["paths"]["/v1/tasks"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in create["parameters"])
    assert "409" in spec["paths"]["/v1/auth/register"]["post"]["responses"]
    assert "409" not in spec["paths"]["/v1/tasks"]["get"]["responses"]


def test_the_chat_stream_is_documented_as_server_sent_events(spec: dict) -> None:
    ok = spec["paths"]["/v1/chat/stream"]["post"]["responses"]["200"]
    assert "text/event-stream" in ok["content"]
    example = ok["content"]["text/event-stream"]["example"]
    for event in ("progress", "action", "reply", "result"):
        assert f"event: {event}\n" in example
    for event in ("progress", "action", "question", "reply", "result", "error"):
        assert f"`{event}`" in ok["description"]


async def test_real_errors_match_the_documented_problem_schema(spec: dict, alice: User) -> None:
    schema = problem_schema(spec)
    missing = f"/v1/tasks/{uuid.uuid4()}"
    cases = [
        ("GET", "/v1/tasks", "/v1/tasks", {"headers": {"Authorization": "Bearer nope"}}, 401),
        ("GET", missing, "/v1/tasks/{task_id}", {}, 404),
        ("PATCH", missing, "/v1/tasks/{task_id}", {"headers": {"If-Match": "x"},
                                                    "json": {"title": "t"}}, 400),
        ("POST", "/v1/tasks", "/v1/tasks", {"json": {"priority": 9}}, 422),
        ("POST", "/v1/tasks", "/v1/tasks", {"content": b"{",
                                             "headers": {"Content-Type": "application/json"}}, 400),
        ("GET", "/v1/tasks", "/v1/tasks", {"params": {"cursor": "garbage"}}, 400),
        ("POST", "/v1/auth/tokens", "/v1/auth/tokens", {"json": {"name": ""}}, 422),
    ]  # fmt: skip
    for method, url, template, kw, status in cases:
        r = await alice.request(method, url, **kw)
        assert r.status_code == status, (url, r.text)
        assert r.headers["content-type"] == PROBLEM
        jsonschema.validate(r.json(), schema)
        documented = spec["paths"][template][method.lower()]["responses"][str(status)]
        kinds = documented["content"][PROBLEM]["examples"]
        assert r.json()["type"].rsplit("/", 1)[1] in kinds, (method, url, r.json()["type"])


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/v1/tasks", {"stauts": "done"}),
        ("/v1/tasks", {"status": "open", "page": "2"}),
        ("/v1/auth/me", {"verbose": "1"}),
        ("/v1/audit", {"task": "x"}),
    ],
)
async def test_an_unknown_query_parameter_is_refused(
    alice: User, url: str, params: dict[str, str]
) -> None:
    r = await alice.request("GET", url, params=params)
    assert r.status_code == 400, r.text
    problem = r.json()
    assert problem["type"].endswith("/unknown-query-parameter")
    known = {"status"}
    assert problem["unknown"] == sorted(set(params) - known)


async def test_known_query_parameters_still_work(alice: User) -> None:
    await alice.request("POST", "/v1/tasks", json={"title": "a", "tags": ["x"]})
    r = await alice.request("GET", "/v1/tasks", params={"status": "open", "tag": "x", "limit": 5})
    assert r.status_code == 200
    assert [t["title"] for t in r.json()["items"]] == ["a"]


async def test_a_calendar_feed_ignores_what_a_calendar_app_adds(alice: User) -> None:
    made = await alice.request("POST", "/v1/calendar/feed")
    assert made.status_code == 201, made.text
    path = "/v1/calendar/feeds/" + made.json()["url"].rsplit("/feeds/", 1)[1]
    polled = await alice.client.get(path, params={"nocache": "1712345"})
    assert polled.status_code == 200
    assert polled.text.startswith("BEGIN:VCALENDAR")
