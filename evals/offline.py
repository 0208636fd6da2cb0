"""Keep the eval run offline: deepeval's telemetry off, no .env loading, no outbound sockets.

deepeval reads DEEPEVAL_TELEMETRY_OPT_OUT / DEEPEVAL_DISABLE_DOTENV when it is imported, and its
pytest plugin is imported before any conftest, so CI must set both in the environment. As a
fallback `apply()` sets them, swaps deepeval's telemetry backend for its no-op one, and refuses
connections to anything but loopback and the Ollama host (when OLLAMA_BASE_URL is set).
`EVALS_ALLOW_NETWORK=1` lifts the socket guard (e.g. for a remote judge model).
"""

from __future__ import annotations

import os
import socket
from typing import Any
from urllib.parse import urlparse

ENV = {"DEEPEVAL_TELEMETRY_OPT_OUT": "1", "DEEPEVAL_DISABLE_DOTENV": "1"}
_LOOPBACK = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


class NetworkBlocked(OSError):
    """An outbound connection the offline eval run does not allow."""


def allowed_hosts() -> set[str]:
    hosts = set(_LOOPBACK)
    for var in ("OLLAMA_BASE_URL", "EVALS_JUDGE_BASE_URL"):
        if os.environ.get(var):
            hosts.add(urlparse(os.environ[var]).hostname or "")
    return hosts


def _host_of(address: Any) -> str | None:
    if isinstance(address, tuple) and address:
        return str(address[0])
    return None  # unix sockets and the like


def install_socket_guard() -> None:
    if getattr(socket.socket.connect, "_evals_guard", False):
        return
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex
    hosts = allowed_hosts()

    def check(address: Any) -> None:
        host = _host_of(address)
        if host is not None and host not in hosts and not host.startswith("127."):
            raise NetworkBlocked(f"evals run offline: connection to {address!r} refused")

    def connect(self: socket.socket, address: Any) -> None:
        check(address)
        return original_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        check(address)
        return original_connect_ex(self, address)

    connect._evals_guard = True  # type: ignore[attr-defined]
    socket.socket.connect = connect  # type: ignore[method-assign, assignment]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign, assignment]


def apply() -> None:
    for key, value in ENV.items():
        os.environ.setdefault(key, value)
    from deepeval.telemetry import NoopBackend, set_backend

    set_backend(NoopBackend())
    if os.environ.get("EVALS_ALLOW_NETWORK") != "1":
        install_socket_guard()
