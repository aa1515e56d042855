from __future__ import annotations

import uuid
from datetime import timedelta

import msgspec

from application.commands import CreateInvitation
from application.ports.clock import Clock
from application.ports.invitation_repository import InvitationRepository
from application.ports.unit_of_work import UnitOfWork
from application.ports.user_repository import UserRepository
from application.use_cases.accounts.invitation_codes import InvitationPolicy, hash_invitation_code, new_invitation_code
from application.use_cases.admin.administrator import ensure_administrator
from domain.signup import Invitation
from domain.users import normalize_email


class CreatedInvitation(msgspec.Struct, frozen=True, kw_only=True):
    invitation: Invitation
    code: str
    """Shown once, to hand to the invitee: only its hash is stored."""


class CreateInvitationHandler:
    """Makes a single-use code that expires after the policy's time. Raises ``Forbidden`` and
    ``InvalidInput`` (a malformed invitee email)."""

    def __init__(
        self,
        users: UserRepository,
        invitations: InvitationRepository,
        policy: InvitationPolicy,
        clock: Clock,
        uow: UnitOfWork,
    ) -> None:
        self._users = users
        self._invitations = invitations
        self._policy = policy
        self._clock = clock
        self._uow = uow

    async def __call__(self, command: CreateInvitation) -> CreatedInvitation:
        await ensure_administrator(self._users, command.actor_id)
        email = normalize_email(command.email) if command.email else None
        code, now = new_invitation_code(), self._clock.now()
        invitation = Invitation(
            id=uuid.uuid4(),
            code_hash=hash_invitation_code(code),
            created_at=now,
            expires_at=now + timedelta(seconds=self._policy.ttl_seconds),
            created_by=command.actor_id,
            email=email,
        )
        await self._invitations.add(invitation)
        await self._uow.commit()
        return CreatedInvitation(invitation=invitation, code=code)
