"""Who is calling: the bearer access token, verified without a database round trip."""

from __future__ import annotations

import uuid

from litestar import Request
from litestar.di import NamedDependency, Provide

from application.ports.access_tokens import AccessTokens
from domain.errors import InvalidToken
from entrypoints.request_context import user_id_var


def bearer_token(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("missing bearer token")
    return token.strip()


async def provide_user_id(request: Request) -> uuid.UUID:  # type: ignore[type-arg]
    tokens: AccessTokens = await request.app.state.dishka_container.get(AccessTokens)
    user_id = tokens.verify(bearer_token(request.headers.get("authorization")))
    user_id_var.set(str(user_id))
    return user_id


AUTHENTICATED = {"user_id": Provide(provide_user_id)}
CurrentUserId = NamedDependency[uuid.UUID]
"""A route parameter ``user_id: CurrentUserId`` receives the authenticated user's id (routes under AUTHENTICATED)."""
