from __future__ import annotations

from application.commands import RevokeInvitation
from application.ports.invitation_repository import InvitationRepository
from application.ports.unit_of_work import UnitOfWork
from application.ports.user_repository import UserRepository
from application.use_cases.admin.administrator import ensure_administrator
from domain.errors import NotFound


class RevokeInvitationHandler:
    """Deletes an invitation, so its code no longer works. Raises ``Forbidden`` and ``NotFound``."""

    def __init__(self, users: UserRepository, invitations: InvitationRepository, uow: UnitOfWork) -> None:
        self._users = users
        self._invitations = invitations
        self._uow = uow

    async def __call__(self, command: RevokeInvitation) -> None:
        await ensure_administrator(self._users, command.actor_id)
        if not await self._invitations.delete(command.invitation_id):
            raise NotFound("invitation not found")
        await self._uow.commit()
