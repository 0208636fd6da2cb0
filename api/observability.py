"""Correlation ids, request metrics and the backstop 500, as one plain ASGI middleware (cheaper
than BaseHTTPMiddleware on the hot path, and one layer instead of two: each layer wraps `send`
and adds a call per message to every request).
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import internal_error
from core.logging import correlation_id

log = logging.getLogger("api.access")
log_errors = logging.getLogger("api.problems")  # where the backstop has always logged

_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class HttpMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "http_requests_total", "HTTP requests", ["method", "route", "status"], registry=registry
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency",
            ["method", "route"],
            buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
            registry=registry,
        )


class RequestContextMiddleware:
    """Takes X-Request-ID (or makes one), returns it, logs and measures each request, and turns
    an exception no handler took into a problem+json 500.

    Starlette answers those from its outermost layer, outside every user middleware, where the
    request's correlation id is already gone and no X-Request-ID header is added. Answered here
    instead, inside the request's context, the 500 carries both, like any other answer.
    """

    def __init__(self, app: ASGIApp, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        incoming = None
        for name, value in scope.get("headers", ()):
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
                break
        rid = incoming if incoming and _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = correlation_id.set(rid)
        started = time.perf_counter()
        status_code = 500
        started_response = False

        async def send_with_id(message: Message) -> None:
            nonlocal status_code, started_response
            if message["type"] == "http.response.start":
                started_response = True
                status_code = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            if scope["type"] != "http":
                raise
            log_errors.exception("unhandled error", extra={"path": scope["path"]})
            if started_response:
                raise  # part of a response is out: only the server can end it (drop the stream)
            await internal_error(scope["path"])(scope, receive, send_with_id)
        finally:
            if scope["type"] == "http":
                elapsed = time.perf_counter() - started
                route = scope.get("route")
                path = getattr(route, "path", "unmatched")
                self.metrics.requests.labels(scope["method"], path, str(status_code)).inc()
                self.metrics.latency.labels(scope["method"], path).observe(elapsed)
                if log.isEnabledFor(logging.INFO):
                    # A path whose parameter is a credential (a calendar feed's secret) is
                    # logged as its template: logs are read more widely than the URL is shared.
                    logged = path if "{secret}" in path else scope["path"]
                    log.info(
                        "%s %s %s",
                        scope["method"],
                        logged,
                        status_code,
                        extra={"status": status_code, "ms": round(elapsed * 1000, 2)},
                    )
            correlation_id.reset(token)
