from __future__ import annotations

from application.commands import Logout
from application.ports.clock import Clock
from application.ports.refresh_token_repository import RefreshTokenRepository
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.accounts.token_pair import hash_refresh_token


class LogoutHandler:
    """Revokes the refresh token's family. Unknown tokens are ignored: logging out twice is not an error."""

    def __init__(self, refresh_tokens: RefreshTokenRepository, clock: Clock, uow: UnitOfWork) -> None:
        self._refresh = refresh_tokens
        self._clock = clock
        self._uow = uow

    async def __call__(self, command: Logout) -> None:
        stored = await self._refresh.get_by_hash(hash_refresh_token(command.refresh_token))
        if stored is not None:
            await self._refresh.revoke_family(stored.family_id, self._clock.now())
            await self._uow.commit()
