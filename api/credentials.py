"""One answer to "who is this bearer token?" for REST and MCP alike.

Three kinds of token reach the API: a login JWT (may do everything), an OAuth access JWT issued
by our authorization server to an MCP client (carries its scopes), and a personal access token
(`tdo_pat_…`, looked up in the store, revocable at once).
"""

from __future__ import annotations

from collections.abc import Callable

from mcp.server.auth.provider import AccessToken, TokenVerifier

from api.security import Grant, InvalidToken
from api.services import Services
from domain.store import PAT_PREFIX, PersonalTokenStore


async def authenticate(services: Services, token: str) -> Grant:
    """The grant of a valid token; InvalidToken otherwise."""
    if token.startswith(PAT_PREFIX):
        holder = await PersonalTokenStore(services.pool).holder(token)
        if holder is None:
            raise InvalidToken("this personal access token is unknown, revoked or expired")
        return Grant(holder.user_id, frozenset(holder.scopes), "pat", f"pat:{holder.token_id}")
    return await services.tokens.grant(token)


class BearerVerifier(TokenVerifier):
    """MCP's TokenVerifier over `authenticate`, for the `/mcp` mount."""

    def __init__(self, services: Callable[[], Services]) -> None:
        self._services = services

    async def verify_token(self, token: str) -> AccessToken | None:
        try:
            grant = await authenticate(self._services(), token)
        except InvalidToken:
            return None
        return AccessToken(
            token=token,
            client_id=grant.client_id or f"user:{grant.user_id}",
            subject=str(grant.user_id),
            scopes=sorted(grant.scopes),
        )
