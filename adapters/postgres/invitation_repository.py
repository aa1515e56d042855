from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import RowMapping, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.errors import translate_errors
from adapters.postgres.tables import invitations
from domain.signup import Invitation

_COLUMNS = ("id", "code_hash", "email", "created_by", "created_at", "expires_at", "used_at", "used_by")


def _to_invitation(row: RowMapping) -> Invitation:
    return Invitation(**{name: row[name] for name in _COLUMNS})


class PgInvitationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @translate_errors
    async def add(self, invitation: Invitation) -> None:
        await self._session.execute(insert(invitations).values({n: getattr(invitation, n) for n in _COLUMNS}))

    @translate_errors
    async def get_by_code_hash(self, code_hash: str) -> Invitation | None:
        query = select(invitations).where(invitations.c.code_hash == code_hash)
        row = (await self._session.execute(query)).mappings().first()
        return None if row is None else _to_invitation(row)

    @translate_errors
    async def mark_used(self, invitation_id: uuid.UUID, user_id: uuid.UUID, now: datetime) -> bool:
        """Conditional on ``used_at IS NULL``: of two sign-ups racing for one code, the row lock lets one win."""
        statement = (
            update(invitations)
            .where(invitations.c.id == invitation_id, invitations.c.used_at.is_(None))
            .values(used_at=now, used_by=user_id)
            .returning(invitations.c.id)
        )
        return (await self._session.execute(statement)).first() is not None

    @translate_errors
    async def list_all(self) -> list[Invitation]:
        query = select(invitations).order_by(invitations.c.created_at.desc(), invitations.c.id.desc())
        return [_to_invitation(row) for row in (await self._session.execute(query)).mappings()]

    @translate_errors
    async def delete(self, invitation_id: uuid.UUID) -> bool:
        statement = delete(invitations).where(invitations.c.id == invitation_id).returning(invitations.c.id)
        return (await self._session.execute(statement)).first() is not None
