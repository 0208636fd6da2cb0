"""The API's contract as it behaves: every route's problem+json errors, and the refusal of query
parameters a route does not take.

Which errors an operation can answer follows from what it takes, so they are derived from each
operation rather than listed by hand: a bearer token can answer 401 and 403, a path parameter
404, any input 422, a JSON body or a query string 400, anything 500. A route adds what only its
own logic knows (409 on a version conflict) with `responses=problems(409)`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import Response

from api.problems import PROBLEM_JSON, Problem

_BASE = "https://todo-agent.dev/problems/"


class FieldError(BaseModel):
    field: str = Field(examples=["due"])
    message: str


class ProblemOut(BaseModel):
    """RFC 9457 problem details, as every error of this API is answered."""

    type: str = Field(description="a URI naming the kind of problem; stable, branch on it")
    title: str
    status: int
    detail: str = Field(description="a sentence for a person")
    instance: str | None = Field(default=None, description="the path that was requested")
    correlation_id: str | None = Field(default=None, description="quote it when reporting")
    errors: list[FieldError] | None = Field(default=None, description="422: each bad field")
    current_version: int | None = Field(default=None, description="409: the task's version now")
    unknown: list[str] | None = Field(default=None, description="400: the refused parameters")


_KINDS: dict[str, tuple[int, str, str, dict[str, Any]]] = {
    "malformed-json": (400, "Malformed JSON", "The request body is not valid JSON.", {}),
    "unknown-query-parameter": (
        400, "Unknown query parameter",
        "This route takes no query parameter 'stauts'; it takes: cursor, limit, status.",
        {"unknown": ["stauts"]},
    ),
    "invalid-cursor": (400, "Invalid cursor", "the cursor is not one this API handed out", {}),
    "invalid-if-match": (
        400, "Invalid If-Match",
        'If-Match must be the task\'s version as returned in its ETag, e.g. "3".', {},
    ),
    "unauthorized": (401, "Unauthorized", "the access token has expired; log in again", {}),
    "invalid-credentials": (401, "Invalid credentials", "The email or password is wrong.", {}),
    "insufficient-scope": (
        403, "Insufficient scope", "This token lacks the 'tasks:write' scope this request needs.",
        {},
    ),
    "login-required": (
        403, "Login required",
        "Manage access tokens with the token from /v1/auth/login, not with another token.", {},
    ),
    "not-found": (404, "Not found", "There is no task with this id.", {}),
    "version-conflict": (
        409, "Version conflict", "The task changed since you read it (version 3 now).",
        {"current_version": 3},
    ),
    "idempotency-key-in-use": (
        409, "Request in progress",
        "A request with this Idempotency-Key is still being processed.", {},
    ),
    "already-exists": (409, "Already exists", "an account for a@example.com exists already", {}),
    "validation": (
        422, "Invalid input", "priority: Input should be less than or equal to 4",
        {"errors": [{"field": "priority", "message": "Input should be less than or equal to 4"}]},
    ),
    "invalid-change": (
        422, "Invalid change", "a reminder given as an offset needs a due time", {}
    ),
    "idempotency-key-reused": (
        422, "Idempotency-Key reused",
        "This Idempotency-Key was used for another request.", {},
    ),
    "internal": (
        500, "Internal error",
        "Something went wrong on our side; nothing was changed. Quote the correlation id"
        " if you report it.", {},
    ),
}  # fmt: skip

_DESCRIPTIONS = {
    400: "Malformed request (JSON, query string, cursor or header)",
    401: "Missing, expired or invalid bearer token, or wrong credentials",
    403: "The token may not do this",
    404: "No such resource for this user",
    409: "Conflict with the current state",
    422: "Invalid input",
    500: "Internal error (nothing was changed)",
}


def _example(kind: str) -> dict[str, Any]:
    status, title, detail, extra = _KINDS[kind]
    return {
        "summary": title,
        "value": {"type": _BASE + kind, "title": title, "status": status, "detail": detail,
                  "instance": "/v1/tasks", "correlation_id": "4bf92f3577b34da6", **extra},
    }  # fmt: skip


def problems(*kinds: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for these problem kinds (e.g. "already-exists"), grouped by status,
    each problem+json with an example."""
    grouped: dict[int | str, dict[str, Any]] = {}
    for kind in kinds:
        status = _KINDS[kind][0]
        response = grouped.setdefault(status, _response(status))
        response["content"][PROBLEM_JSON]["examples"][kind] = _example(kind)
    return grouped


def _response(status: int) -> dict[str, Any]:
    return {
        "description": _DESCRIPTIONS.get(status, "Error"),
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemOut"},
                                   "examples": {}}},
    }  # fmt: skip


def _walk(dependant: Dependant) -> list[Dependant]:
    found = [dependant]
    for sub in dependant.dependencies:
        found += _walk(sub)
    return found


# By id, holding the route (routes are unhashable): one walk of its dependencies per route.
_QUERY_NAMES: dict[int, tuple[APIRoute, frozenset[str]]] = {}


def _query_names(route: APIRoute) -> frozenset[str]:
    hit = _QUERY_NAMES.get(id(route))
    if hit is None or hit[0] is not route:
        names = frozenset(f.alias for d in _walk(route.dependant) for f in d.query_params)
        hit = _QUERY_NAMES[id(route)] = (route, names)
    return hit[1]


def _derived(operation: dict[str, Any]) -> list[str]:
    """The problem kinds an operation can answer, from what it takes."""
    params = {(p.get("in"), p.get("name", "").lower()) for p in operation.get("parameters", [])}
    where = {place for place, _ in params}
    body = "requestBody" in operation
    kinds: list[str] = []
    if body:
        kinds += ["malformed-json", "validation"]
    if "query" in where:
        kinds.append("unknown-query-parameter")
    if ("query", "cursor") in params:
        kinds.append("invalid-cursor")
    if operation.get("security"):
        kinds += ["unauthorized", "insufficient-scope"]
    if "path" in where:
        kinds.append("not-found")
    if where:
        kinds.append("validation")
    if ("header", "if-match") in params:
        kinds += ["invalid-if-match", "version-conflict"]
    if ("header", "idempotency-key") in params:
        kinds += ["idempotency-key-in-use", "idempotency-key-reused"]
    kinds.append("internal")
    return kinds


def add_problem_responses(schema: dict[str, Any]) -> None:
    """Every operation's problem+json errors, in place; FastAPI's default 422 is replaced."""
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            if method not in {"get", "put", "post", "patch", "delete", "head", "options"}:
                continue
            responses = operation.setdefault("responses", {})
            for status, derived in problems(*_derived(operation)).items():
                key = str(status)
                declared = responses.get(key)
                if declared is None or PROBLEM_JSON not in declared.get("content", {}):
                    responses[key] = derived  # FastAPI's own 422 is not what we answer
                    continue
                examples = declared["content"][PROBLEM_JSON].setdefault("examples", {})
                for name, example in derived["content"][PROBLEM_JSON]["examples"].items():
                    examples.setdefault(name, example)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    problem = ProblemOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(problem.pop("$defs", {}))
    components["ProblemOut"] = problem
    text = json.dumps(schema["paths"])
    for unused in ("HTTPValidationError", "ValidationError"):
        if f"#/components/schemas/{unused}" not in text:
            components.pop(unused, None)


def document(app: FastAPI) -> None:
    """Serve the OpenAPI document with every route's problem responses."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            add_problem_responses(original())
        return app.openapi_schema  # type: ignore[return-value]  # set by original()

    app.openapi = openapi  # type: ignore[method-assign]


# For a route read by other people's software (a calendar app polling its feed), which may add
# parameters of its own: `openapi_extra=LENIENT_QUERY` keeps it answering. Said in the OpenAPI too.
LENIENT_QUERY = {"x-unknown-query-parameters": "ignored"}


def refuse_unknown_query(route: APIRoute, request: Request) -> None:
    """A query parameter the route does not take is a 400, not ignored (a misspelt filter would
    otherwise quietly list everything)."""
    if not request.query_params:
        return
    allowed = _query_names(route)
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        takes = ", ".join(sorted(allowed)) if allowed else "none"
        raise Problem(
            400,
            "unknown-query-parameter",
            "Unknown query parameter",
            f"This route takes no query parameter {', '.join(repr(u) for u in unknown)};"
            f" it takes: {takes}.",
            unknown=unknown,
        )


class StrictQueryRoute(APIRoute):
    """The route class of every API router: its handler refuses unknown query parameters
    before anything else runs (auth, body), as the app-wide dependency that did this did.

    As a dependency the check cost every request of every route a dependency solve (its cache
    key, scopes walk, call) although almost no request has a query string; here a request
    without one pays one dictionary look-up. Pages (the web app, the sign-in page) and
    `LENIENT_QUERY` routes are not the API's contract and keep no check.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if not self.include_in_schema or self.openapi_extra == LENIENT_QUERY:
            return handler
        route = self

        async def checked(request: Request) -> Response:
            if request.scope.get("query_string"):
                refuse_unknown_query(route, request)
            return await handler(request)

        return checked


CHAT_STREAM_DOC = """Server-sent events (`text/event-stream`, UTF-8): blocks of `event: <name>`
and `data: <one JSON object>`, each ended by a blank line. `progress` (`stage`: understanding,
planning, acting, replying), `action` per change made, then `question` (`text`, quick-reply
`options`) or `reply` (`text`), and last `result` (the body `POST /v1/chat` answers); `error`
(`code`, `text` in your language) if the turn fails after the stream began. Errors before it
begins (401, 403, a conversation that is not yours: 404, 422) are problem+json."""

_CHAT_STREAM_EXAMPLE = (
    'event: progress\ndata: {"stage": "understanding"}\n\n'
    'event: action\ndata: {"action": "created", "task_id": "0b9c…",'
    ' "task": {"id": "0b9c…", "title": "pay rent", "status": "open", "due": null,'
    ' "all_day": false}}\n\n'
    'event: reply\ndata: {"text": "Added \\"pay rent\\"."}\n\n'
    'event: result\ndata: {"conversation_id": "5e1d…", "reply": "Added \\"pay rent\\".",'
    ' "language": "en", "awaiting_reply": false, "actions": [], "tasks": []}\n\n'
)


def event_stream(description: str, example: str = _CHAT_STREAM_EXAMPLE) -> dict[int | str, Any]:
    """`responses=` for a route answering with server-sent events (text/event-stream)."""
    return {
        200: {
            "description": description,
            "content": {"text/event-stream": {"schema": {"type": "string"}, "example": example}},
        }
    }
