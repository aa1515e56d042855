from __future__ import annotations

import uuid

from application.commands import RegisterUser
from application.ports.clock import Clock
from application.ports.invitation_repository import InvitationRepository
from application.ports.password_hasher import PasswordHasher
from application.ports.password_strength import PasswordStrength
from application.ports.unit_of_work import UnitOfWork
from application.ports.user_repository import UserRepository
from application.use_cases.accounts.invitation_codes import hash_invitation_code
from domain.passwords import check_password_policy, refuse_weak_password
from domain.signup import Invitation, SignupMode, unknown_invitation, used_invitation
from domain.users import User, normalize_email, role_for_new_account


class RegisterUserHandler:
    """Creates an account; the first one on the server is its administrator.

    Raises ``InvalidInput`` (email, password or invitation code, naming the field), ``SignupClosed`` and
    ``InvitationRequired`` (the sign-up mode) and ``EmailAlreadyRegistered``.
    """

    def __init__(
        self,
        users: UserRepository,
        invitations: InvitationRepository,
        hasher: PasswordHasher,
        strength: PasswordStrength,
        signup: SignupMode,
        clock: Clock,
        uow: UnitOfWork,
    ) -> None:
        self._users = users
        self._invitations = invitations
        self._hasher = hasher
        self._strength = strength
        self._signup = signup
        self._clock = clock
        self._uow = uow

    async def __call__(self, command: RegisterUser) -> User:
        code = (command.invite_code or "").strip() or None
        if not command.by_operator:
            self._signup.ensure_allows(with_invitation=code is not None)
        email = normalize_email(command.email)
        check_password_policy(command.password)
        refuse_weak_password(await self._strength.weakness(command.password))
        invitation = await self._invitation(code, email) if code and not command.by_operator else None
        password_hash = await self._hasher.hash(command.password)

        await self._users.lock_sign_ups()  # until commit: counting and adding is atomic across processes
        now = self._clock.now()
        user = User(
            id=uuid.uuid4(),
            email=email,
            password_hash=password_hash,
            created_at=now,
            role=role_for_new_account(await self._users.count()),
        )
        await self._users.add(user)
        if invitation is not None and not await self._invitations.mark_used(invitation.id, user.id, now):
            raise used_invitation()
        await self._uow.commit()
        return user

    async def _invitation(self, code: str, email: str) -> Invitation:
        invitation = await self._invitations.get_by_code_hash(hash_invitation_code(code))
        if invitation is None:
            raise unknown_invitation()
        invitation.ensure_redeemable(email, self._clock.now())
        return invitation
