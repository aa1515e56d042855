"""Who is calling: the bearer access token, then the account it names, which must still exist and be active
(one primary-key read per request: a disabled or deleted account's tokens stop working at once)."""

from __future__ import annotations

import uuid

from litestar import Request
from litestar.di import NamedDependency, Provide

from application.bus import CommandBus
from application.commands import GetMe
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
    bus: CommandBus = await request.state.dishka_container.get(CommandBus)
    await bus.dispatch(GetMe(user_id=user_id))  # InvalidToken (gone) or AccountDisabled: 401 either way
    user_id_var.set(str(user_id))
    return user_id


AUTHENTICATED = {"user_id": Provide(provide_user_id)}
CurrentUserId = NamedDependency[uuid.UUID]
"""A route parameter ``user_id: CurrentUserId`` receives the authenticated user's id (routes under AUTHENTICATED)."""
