from __future__ import annotations

from application.commands import EnableUser
from application.ports.unit_of_work import UnitOfWork
from application.ports.user_repository import UserRepository
from application.use_cases.admin.administrator import ensure_administrator, existing_user
from domain.users import User


class EnableUserHandler:
    """Lets a disabled account sign in again. Raises ``Forbidden`` and ``NotFound``."""

    def __init__(self, users: UserRepository, uow: UnitOfWork) -> None:
        self._users = users
        self._uow = uow

    async def __call__(self, command: EnableUser) -> User:
        await ensure_administrator(self._users, command.actor_id)
        user = await existing_user(self._users, command.user_id)
        user.enable()
        await self._users.update(user)
        await self._uow.commit()
        return user
