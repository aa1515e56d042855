from __future__ import annotations

from application.commands import DisableUser
from application.ports.clock import Clock
from application.ports.refresh_token_repository import RefreshTokenRepository
from application.ports.unit_of_work import UnitOfWork
from application.ports.user_repository import UserRepository
from application.use_cases.admin.administrator import ensure_administrator, existing_user
from domain.users import User


class DisableUserHandler:
    """Disables an account and signs it out everywhere: its refresh tokens are revoked now, and its access
    tokens fail the account check every request and socket makes. Raises ``Forbidden`` (not the
    administrator, or the target is the administrator) and ``NotFound``."""

    def __init__(
        self, users: UserRepository, refresh_tokens: RefreshTokenRepository, clock: Clock, uow: UnitOfWork
    ) -> None:
        self._users = users
        self._refresh = refresh_tokens
        self._clock = clock
        self._uow = uow

    async def __call__(self, command: DisableUser) -> User:
        await ensure_administrator(self._users, command.actor_id)
        user = await existing_user(self._users, command.user_id)
        now = self._clock.now()
        user.disable(now)
        await self._users.update(user)
        await self._refresh.revoke_all_of_user(user.id, now)
        await self._uow.commit()
        return user
