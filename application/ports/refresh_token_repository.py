from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from domain.users import RefreshToken


class RefreshTokenRepository(Protocol):
    async def add(self, token: RefreshToken) -> None: ...

    async def get_by_hash(self, token_hash: str) -> RefreshToken | None: ...

    async def revoke(self, token_id: uuid.UUID, now: datetime) -> bool:
        """Revokes one token; returns False when it was already revoked (a concurrent refresh won)."""
        ...

    async def revoke_family(self, family_id: uuid.UUID, now: datetime) -> None: ...

    async def revoke_all_of_user(self, user_id: uuid.UUID, now: datetime) -> None:
        """Signs the user out everywhere (their account was disabled)."""
        ...
