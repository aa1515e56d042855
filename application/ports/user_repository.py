from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Protocol

from domain.users import User


class UserRepository(Protocol):
    async def add(self, user: User) -> None:
        """Raises ``EmailAlreadyRegistered`` when the (normalized) email exists."""
        ...

    async def get(self, user_id: uuid.UUID) -> User | None: ...

    async def get_by_email(self, email: str) -> User | None: ...

    async def inactive_among(self, user_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
        """Those of ``user_ids`` whose account is disabled or no longer exists, in one read (the open sockets'
        periodic account check)."""
        ...

    async def lock_sign_ups(self) -> None:
        """Serializes sign-ups until the request's transaction ends, so that counting the accounts and adding
        one is atomic: of two concurrent first sign-ups, exactly one sees an empty server."""
        ...

    async def count(self) -> int: ...

    async def list_all(self) -> list[User]:
        """Every account, oldest first (the administrator's view)."""
        ...

    async def update(self, user: User) -> None:
        """Stores the role and the disabled state (email, hash and creation time never change)."""
        ...

    async def delete(self, user_id: uuid.UUID) -> bool:
        """Deletes the account and, with it, its refresh tokens and the invitations it made; False if absent."""
        ...
