"""Signing keys: a rotated HS256 secret keeps its tokens valid for the overlap, and an external
issuer's RS256 tokens are verified against its JWKS (served here by a real HTTP server)."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import SecretStr

from core.settings import Settings
from tests.conftest import register, serve_api

OLD, NEW = "old-secret-0123456789abcdef0123456789", "new-secret-0123456789abcdef0123456789"


def _token(key: object, sub: str, *, algorithm: str = "HS256", kid: str | None = None) -> str:
    now = datetime.now(UTC)
    claims = {"sub": sub, "iss": "todo-agent", "aud": "todo-agent", "iat": now,
              "exp": now + timedelta(minutes=5)}  # fmt: skip
    return jwt.encode(claims, key, algorithm=algorithm, headers={"kid": kid} if kid else None)


async def _me(base: str, token: str) -> int:
    async with httpx.AsyncClient(base_url=base) as client:
        r = await client.get("/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        return r.status_code


async def test_a_rotated_secret_still_verifies_during_the_overlap(settings: Settings) -> None:
    rotated = settings.model_copy(
        update={"jwt_secret": SecretStr(NEW), "jwt_secret_previous": SecretStr(OLD)}
    )
    async with serve_api(rotated) as base, httpx.AsyncClient(base_url=base) as client:
        user = await register(client)
        issued = jwt.decode(user.token, NEW, algorithms=["HS256"], audience="todo-agent")
        assert issued["sub"] == user.id  # new tokens are signed with the new secret
        assert await _me(base, _token(OLD, user.id)) == 200
        assert await _me(base, _token("some-other-secret-0123456789abcdef", user.id)) == 401


@pytest.fixture
def jwks() -> Iterator[tuple[str, rsa.RSAPrivateKey]]:
    """An identity provider's JWKS endpoint on loopback, and its private key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    body = json.dumps({"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/jwks.json", key
    finally:
        server.shutdown()


async def test_tokens_of_an_external_issuer_are_verified_by_its_jwks(
    settings: Settings, jwks: tuple[str, rsa.RSAPrivateKey]
) -> None:
    url, key = jwks
    external = settings.model_copy(update={"jwt_jwks_url": url})
    async with serve_api(settings) as own, httpx.AsyncClient(base_url=own) as client:
        user = await register(client)  # the account exists; the issuer vouches for its id
    async with serve_api(external) as base:
        assert await _me(base, _token(key, user.id, algorithm="RS256", kid="k1")) == 200
        stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        assert await _me(base, _token(stranger, user.id, algorithm="RS256", kid="k1")) == 401
        assert await _me(base, _token(NEW, user.id)) == 401  # HS256 is not accepted then
        assert await _me(base, _token(key, str(uuid.uuid4()), algorithm="RS256", kid="k1")) == 401
