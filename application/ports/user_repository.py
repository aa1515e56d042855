from __future__ import annotations

import uuid
from typing import Protocol

from domain.users import User


class UserRepository(Protocol):
    async def add(self, user: User) -> None:
        """Raises ``EmailAlreadyRegistered`` when the (normalized) email exists."""
        ...

    async def get(self, user_id: uuid.UUID) -> User | None: ...

    async def get_by_email(self, email: str) -> User | None: ...
