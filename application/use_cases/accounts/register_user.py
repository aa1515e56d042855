from __future__ import annotations

import uuid

from application.commands import RegisterUser
from application.ports.clock import Clock
from application.ports.password_hasher import PasswordHasher
from application.ports.unit_of_work import UnitOfWork
from application.ports.user_repository import UserRepository
from domain.users import User, check_password_policy, normalize_email


class RegisterUserHandler:
    """Creates an account. Raises ``InvalidInput`` (email/password policy) and ``EmailAlreadyRegistered``."""

    def __init__(self, users: UserRepository, hasher: PasswordHasher, clock: Clock, uow: UnitOfWork) -> None:
        self._users = users
        self._hasher = hasher
        self._clock = clock
        self._uow = uow

    async def __call__(self, command: RegisterUser) -> User:
        email = normalize_email(command.email)
        check_password_policy(command.password)
        user = User(
            id=uuid.uuid4(),
            email=email,
            password_hash=await self._hasher.hash(command.password),
            created_at=self._clock.now(),
        )
        await self._users.add(user)
        await self._uow.commit()
        return user
