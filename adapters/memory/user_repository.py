from __future__ import annotations

import uuid

import msgspec

from adapters.memory.store import MemorySession, copied
from domain.errors import EmailAlreadyRegistered
from domain.users import User


class MemoryUserRepository:
    def __init__(self, session: MemorySession) -> None:
        self._session = session
        self._users = session.store.users

    async def add(self, user: User) -> None:
        email = user.email.lower()
        if any(existing.email == email for existing in self._users.values()):
            raise EmailAlreadyRegistered("an account with this email already exists")
        self._session.put(self._users, user.id, msgspec.structs.replace(user, email=email))

    async def get(self, user_id: uuid.UUID) -> User | None:
        return copied(self._users.get(user_id))

    async def get_by_email(self, email: str) -> User | None:
        wanted = email.strip().lower()
        return next((copied(user) for user in self._users.values() if user.email == wanted), None)
