from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from domain.users import RefreshToken
from tests.support.twins.store import MemorySession, copied


class MemoryRefreshTokenRepository:
    def __init__(self, session: MemorySession) -> None:
        self._session = session
        self._tokens = session.store.refresh_tokens

    async def add(self, token: RefreshToken) -> None:
        if any(existing.token_hash == token.token_hash for existing in self._tokens.values()):
            raise ValueError("duplicate refresh token hash")  # PostgreSQL's unique index would refuse it too
        self._session.put(self._tokens, token.id, token)

    async def get_by_hash(self, token_hash: str) -> RefreshToken | None:
        return next((copied(t) for t in self._tokens.values() if t.token_hash == token_hash), None)

    async def revoke(self, token_id: uuid.UUID, now: datetime) -> bool:
        token = self._tokens.get(token_id)
        if token is None or token.revoked_at is not None:
            return False
        self._session.put(self._tokens, token_id, msgspec.structs.replace(token, revoked_at=now))
        return True

    async def revoke_family(self, family_id: uuid.UUID, now: datetime) -> None:
        for token in list(self._tokens.values()):
            if token.family_id == family_id and token.revoked_at is None:
                self._session.put(self._tokens, token.id, msgspec.structs.replace(token, revoked_at=now))

    async def revoke_all_of_user(self, user_id: uuid.UUID, now: datetime) -> None:
        for token in list(self._tokens.values()):
            if token.user_id == user_id and token.revoked_at is None:
                self._session.put(self._tokens, token.id, msgspec.structs.replace(token, revoked_at=now))
