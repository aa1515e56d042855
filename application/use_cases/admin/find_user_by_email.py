from __future__ import annotations

from application.commands import FindUserByEmail
from application.ports.user_repository import UserRepository
from application.use_cases.admin.administrator import ensure_administrator
from domain.users import User, normalize_email


class FindUserByEmailHandler:
    """The account with this email (compared case-insensitively), or None. Raises ``InvalidInput`` for an
    email that is not an address, and ``Forbidden`` for anyone but the administrator."""

    def __init__(self, users: UserRepository) -> None:
        self._users = users

    async def __call__(self, command: FindUserByEmail) -> User | None:
        await ensure_administrator(self._users, command.actor_id)
        return await self._users.get_by_email(normalize_email(command.email))
