from __future__ import annotations

from application.commands import RefreshTokens
from application.ports.clock import Clock
from application.ports.refresh_token_repository import RefreshTokenRepository
from application.ports.unit_of_work import UnitOfWork
from application.ports.user_repository import UserRepository
from application.use_cases.accounts.token_pair import TokenPair, TokenPairIssuer, hash_refresh_token
from domain.errors import InvalidToken


class RefreshTokensHandler:
    """Rotates a refresh token into a new pair.

    Raises ``InvalidToken`` for unknown, expired or revoked tokens (and deleted accounts), ``AccountDisabled``
    for a disabled account. Presenting a revoked token revokes its whole family: either the client is
    confused or the token was stolen, and both should sign in again.
    """

    def __init__(
        self,
        refresh_tokens: RefreshTokenRepository,
        tokens: TokenPairIssuer,
        users: UserRepository,
        clock: Clock,
        uow: UnitOfWork,
    ) -> None:
        self._users = users
        self._refresh = refresh_tokens
        self._tokens = tokens
        self._clock = clock
        self._uow = uow

    async def __call__(self, command: RefreshTokens) -> TokenPair:
        now = self._clock.now()
        stored = await self._refresh.get_by_hash(hash_refresh_token(command.refresh_token))
        if stored is None:
            raise InvalidToken("refresh token is invalid")
        if stored.revoked_at is not None:
            await self._refresh.revoke_family(stored.family_id, now)
            await self._uow.commit()
            raise InvalidToken("refresh token was already used; sign in again")
        if not stored.is_usable(now):
            raise InvalidToken("refresh token has expired")
        user = await self._users.get(stored.user_id)
        if user is None:
            raise InvalidToken("the account no longer exists")
        user.ensure_active()
        if not await self._refresh.revoke(stored.id, now):
            raise InvalidToken("refresh token was already used; sign in again")
        pair = await self._tokens.issue(stored.user_id, family_id=stored.family_id)
        await self._uow.commit()
        return pair
