"""RFC 9457 problem details for every error, with a sentence a person understands."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.logging import correlation_id
from domain.store import (
    AlreadyExists,
    IdempotencyKeyInFlight,
    IdempotencyKeyReused,
    InvalidChange,
    InvalidCursor,
    NotFound,
    StoreError,
    VersionConflict,
)
from domain.validation import error_field, error_message

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
_BASE = "https://todo-agent.dev/problems/"


class Problem(Exception):
    """Raise from any route: becomes a problem+json response."""

    def __init__(
        self,
        status: int,
        kind: str,
        title: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status, self.kind, self.title, self.detail = status, kind, title, detail
        self.headers = headers
        self.extra = extra


def problem_response(
    status: int,
    kind: str,
    title: str,
    detail: str,
    *,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": _BASE + kind,
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }
    if instance:
        body["instance"] = instance
    if cid := correlation_id.get():
        body["correlation_id"] = cid
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def validation_problem(errors: list[dict[str, Any]], instance: str | None = None) -> JSONResponse:
    items = [
        {"field": error_field(tuple(e.get("loc", ()))) or "body", "message": error_message(e)}
        for e in errors
    ]
    if any(e.get("type") == "json_invalid" for e in errors):
        return problem_response(
            400,
            "malformed-json",
            "Malformed JSON",
            "The request body is not valid JSON.",
            instance=instance,
        )
    detail = "; ".join(f"{i['field']}: {i['message']}" for i in items[:5])
    return problem_response(
        422, "validation", "Invalid input", detail, instance=instance, errors=items
    )


_STORE_ERRORS: dict[type[StoreError], tuple[int, str, str]] = {
    NotFound: (404, "not-found", "Not found"),
    VersionConflict: (409, "version-conflict", "Version conflict"),
    AlreadyExists: (409, "already-exists", "Already exists"),
    InvalidChange: (422, "invalid-change", "Invalid change"),
    InvalidCursor: (400, "invalid-cursor", "Invalid cursor"),
    # As the IETF Idempotency-Key draft says: 422 for a reused key, 409 for one still in use.
    IdempotencyKeyReused: (422, "idempotency-key-reused", "Idempotency-Key reused"),
    IdempotencyKeyInFlight: (409, "idempotency-key-in-use", "Request in progress"),
}


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(
            exc.status,
            exc.kind,
            exc.title,
            exc.detail,
            instance=request.url.path,
            headers=exc.headers,
            **exc.extra,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return validation_problem([dict(e) for e in exc.errors()], request.url.path)

    @app.exception_handler(ValidationError)
    async def _domain_validation(request: Request, exc: ValidationError) -> JSONResponse:
        # Raised where request input meets the domain's cross-field rules.
        return validation_problem([dict(e) for e in exc.errors()], request.url.path)

    @app.exception_handler(StoreError)
    async def _store(request: Request, exc: StoreError) -> JSONResponse:
        status, kind, title = next(
            (v for t, v in _STORE_ERRORS.items() if isinstance(exc, t)),
            (400, "bad-request", "Bad request"),
        )
        extra: dict[str, Any] = {}
        if isinstance(exc, VersionConflict):
            extra["current_version"] = exc.current_version
        return problem_response(status, kind, title, str(exc), instance=request.url.path, **extra)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        titles = {404: "Not found", 405: "Method not allowed", 401: "Unauthorized"}
        detail = exc.detail if isinstance(exc.detail, str) else "The request was refused."
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"There is nothing at {request.url.path}."
        return problem_response(
            exc.status_code,
            titles.get(exc.status_code, "Error").lower().replace(" ", "-"),
            titles.get(exc.status_code, "Error"),
            detail,
            instance=request.url.path,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _backstop(request: Request, exc: Exception) -> JSONResponse:
        # Only reached by a failure in the outer middleware itself: RequestContextMiddleware
        # answers everything else (with the request id). Still a problem+json, not plain text.
        log.exception("unhandled error outside the request context")
        return internal_error(request.url.path)


def internal_error(path: str) -> JSONResponse:
    return problem_response(
        500,
        "internal",
        "Internal error",
        "Something went wrong on our side; nothing was changed. Quote the correlation id"
        " if you report it.",
        instance=path,
    )
