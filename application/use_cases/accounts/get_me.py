from __future__ import annotations

from application.commands import GetMe
from application.ports.user_repository import UserRepository
from domain.errors import InvalidToken
from domain.users import User


class GetMeHandler:
    """Raises ``InvalidToken`` when the token's user no longer exists (deleted after the token was issued)."""

    def __init__(self, users: UserRepository) -> None:
        self._users = users

    async def __call__(self, command: GetMe) -> User:
        user = await self._users.get(command.user_id)
        if user is None:
            raise InvalidToken("the account no longer exists")
        return user
