from __future__ import annotations

from application.commands import ListUsers
from application.ports.user_repository import UserRepository
from application.use_cases.admin.administrator import ensure_administrator
from domain.users import User


class ListUsersHandler:
    """Every account, oldest first. Raises ``Forbidden`` for anyone but the administrator."""

    def __init__(self, users: UserRepository) -> None:
        self._users = users

    async def __call__(self, command: ListUsers) -> list[User]:
        await ensure_administrator(self._users, command.actor_id)
        return await self._users.list_all()
