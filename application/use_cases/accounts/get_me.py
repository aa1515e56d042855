from __future__ import annotations

from application.commands import GetMe
from application.ports.user_repository import UserRepository
from domain.errors import InvalidToken
from domain.users import User


class GetMeHandler:
    """Who a token belongs to, asked on every authenticated request and socket check.

    Raises ``InvalidToken`` when the user no longer exists (deleted after the token was issued) and
    ``AccountDisabled`` when an administrator disabled them: their tokens stop working at once.
    """

    def __init__(self, users: UserRepository) -> None:
        self._users = users

    async def __call__(self, command: GetMe) -> User:
        user = await self._users.get(command.user_id)
        if user is None:
            raise InvalidToken("the account no longer exists")
        user.ensure_active()
        return user
