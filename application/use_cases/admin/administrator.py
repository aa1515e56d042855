"""Who may administer: the signed-in administrator, or the operator at the server's shell (the CLI)."""

from __future__ import annotations

import uuid

from application.ports.user_repository import UserRepository
from domain.errors import Forbidden, NotFound
from domain.users import User


async def ensure_administrator(users: UserRepository, actor_id: uuid.UUID | None) -> None:
    """Raises ``Forbidden`` unless ``actor_id`` is an active administrator (None is the operator)."""
    if actor_id is None:
        return
    actor = await users.get(actor_id)
    if actor is None:
        raise Forbidden("only the administrator may do this")
    actor.ensure_admin()


async def existing_user(users: UserRepository, user_id: uuid.UUID) -> User:
    user = await users.get(user_id)
    if user is None:
        raise NotFound("user not found")
    return user
