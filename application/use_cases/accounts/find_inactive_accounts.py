from __future__ import annotations

import uuid

from application.commands import FindInactiveAccounts
from application.ports.user_repository import UserRepository


class FindInactiveAccountsHandler:
    """Which of the given accounts are disabled or deleted, in one read: every open socket's account is checked
    this way together (``AccountWatch``), not one transaction per socket. Raises ``StorageUnavailable``."""

    def __init__(self, users: UserRepository) -> None:
        self._users = users

    async def __call__(self, command: FindInactiveAccounts) -> frozenset[uuid.UUID]:
        return frozenset(await self._users.inactive_among(command.user_ids))
