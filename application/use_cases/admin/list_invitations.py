from __future__ import annotations

from application.commands import ListInvitations
from application.ports.invitation_repository import InvitationRepository
from application.ports.user_repository import UserRepository
from application.use_cases.admin.administrator import ensure_administrator
from domain.signup import Invitation


class ListInvitationsHandler:
    """Every invitation, newest first (codes are never shown again). Raises ``Forbidden``."""

    def __init__(self, users: UserRepository, invitations: InvitationRepository) -> None:
        self._users = users
        self._invitations = invitations

    async def __call__(self, command: ListInvitations) -> list[Invitation]:
        await ensure_administrator(self._users, command.actor_id)
        return await self._invitations.list_all()
