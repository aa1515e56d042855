from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import RowMapping, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.errors import translate_errors
from adapters.postgres.tables import refresh_tokens
from domain.users import RefreshToken

_COLUMNS = ("id", "user_id", "family_id", "token_hash", "expires_at", "revoked_at")


def _to_token(row: RowMapping) -> RefreshToken:
    return RefreshToken(**{name: row[name] for name in _COLUMNS})


class PgRefreshTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @translate_errors
    async def add(self, token: RefreshToken) -> None:
        values = {name: getattr(token, name) for name in _COLUMNS}
        await self._session.execute(insert(refresh_tokens).values(values))

    @translate_errors
    async def get_by_hash(self, token_hash: str) -> RefreshToken | None:
        query = select(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash)
        row = (await self._session.execute(query)).mappings().first()
        return None if row is None else _to_token(row)

    @translate_errors
    async def revoke(self, token_id: uuid.UUID, now: datetime) -> bool:
        """Conditional on ``revoked_at IS NULL``: of two concurrent refreshes, the row lock lets one win."""
        statement = (
            update(refresh_tokens)
            .where(refresh_tokens.c.id == token_id, refresh_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now)
            .returning(refresh_tokens.c.id)
        )
        return (await self._session.execute(statement)).first() is not None

    @translate_errors
    async def revoke_family(self, family_id: uuid.UUID, now: datetime) -> None:
        await self._session.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.family_id == family_id, refresh_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    @translate_errors
    async def revoke_all_of_user(self, user_id: uuid.UUID, now: datetime) -> None:
        await self._session.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.user_id == user_id, refresh_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
