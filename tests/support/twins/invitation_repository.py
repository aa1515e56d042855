from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from domain.signup import Invitation
from tests.support.twins.store import MemorySession, copied


class MemoryInvitationRepository:
    def __init__(self, session: MemorySession) -> None:
        self._session = session
        self._invitations = session.store.invitations

    async def add(self, invitation: Invitation) -> None:
        if any(i.code_hash == invitation.code_hash for i in self._invitations.values()):
            raise ValueError("duplicate invitation code hash")  # PostgreSQL's unique index would refuse it too
        self._session.put(self._invitations, invitation.id, invitation)

    async def get_by_code_hash(self, code_hash: str) -> Invitation | None:
        return next((copied(i) for i in self._invitations.values() if i.code_hash == code_hash), None)

    async def mark_used(self, invitation_id: uuid.UUID, user_id: uuid.UUID, now: datetime) -> bool:
        invitation = self._invitations.get(invitation_id)
        if invitation is None or invitation.used_at is not None:
            return False
        used = msgspec.structs.replace(invitation, used_at=now, used_by=user_id)
        self._session.put(self._invitations, invitation_id, used)
        return True

    async def list_all(self) -> list[Invitation]:
        newest_first = sorted(self._invitations.values(), key=lambda i: (i.created_at, str(i.id)), reverse=True)
        return [copied(i) for i in newest_first]

    async def delete(self, invitation_id: uuid.UUID) -> bool:
        return self._session.remove(self._invitations, invitation_id)
