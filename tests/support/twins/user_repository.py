from __future__ import annotations

import uuid
from collections.abc import Collection

import msgspec

from domain.errors import EmailAlreadyRegistered
from domain.users import User
from tests.support.twins.store import MemorySession, copied


class MemoryUserRepository:
    def __init__(self, session: MemorySession) -> None:
        self._session = session
        self._store = session.store
        self._users = session.store.users

    async def add(self, user: User) -> None:
        email = user.email.lower()
        if any(existing.email == email for existing in self._users.values()):
            raise EmailAlreadyRegistered("an account with this email already exists")
        self._session.put(self._users, user.id, msgspec.structs.replace(user, email=email))

    async def get(self, user_id: uuid.UUID) -> User | None:
        return copied(self._users.get(user_id))

    async def inactive_among(self, user_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
        return {
            user_id for user_id in user_ids
            if (user := self._users.get(user_id)) is None or user.disabled_at is not None
        }

    async def get_by_email(self, email: str) -> User | None:
        wanted = email.strip().lower()
        return next((copied(user) for user in self._users.values() if user.email == wanted), None)

    async def lock_sign_ups(self) -> None:
        await self._session.hold(self._store.sign_up_lock)

    async def count(self) -> int:
        return len(self._users)

    async def list_all(self) -> list[User]:
        return [copied(u) for u in sorted(self._users.values(), key=lambda u: (u.created_at, str(u.id)))]

    async def update(self, user: User) -> None:
        stored = self._users.get(user.id)
        if stored is not None:
            changed = msgspec.structs.replace(stored, role=user.role, disabled_at=user.disabled_at)
            self._session.put(self._users, user.id, changed)

    async def delete(self, user_id: uuid.UUID) -> bool:
        """Mirrors the foreign keys: the user's rows go with them, invitations they redeemed forget them."""
        if not self._session.remove(self._users, user_id):
            return False
        store = self._store
        for token in [t for t in store.refresh_tokens.values() if t.user_id == user_id]:
            self._session.remove(store.refresh_tokens, token.id)
        for invitation in list(store.invitations.values()):
            if invitation.created_by == user_id:
                self._session.remove(store.invitations, invitation.id)
            elif invitation.used_by == user_id:
                self._session.put(store.invitations, invitation.id, msgspec.structs.replace(invitation, used_by=None))
        for document in [d for d in store.documents.values() if d.owner_id == user_id]:
            self._session.remove(store.documents, document.id)
            self._session.remove(store.chunks, document.id)
        for chat in [c for c in store.chats.values() if c.owner_id == user_id]:
            self._session.remove(store.chats, chat.id)
            self._session.remove(store.message_counts, chat.id)
            for message in [m for m in store.messages.values() if m.chat_id == chat.id]:
                self._session.remove(store.messages, message.id)
        return True
