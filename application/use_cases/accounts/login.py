from __future__ import annotations

from application.commands import Login
from application.ports.password_hasher import PasswordHasher
from application.ports.unit_of_work import UnitOfWork
from application.ports.user_repository import UserRepository
from application.use_cases.accounts.token_pair import TokenPair, TokenPairIssuer
from domain.errors import InvalidCredentials, InvalidInput
from domain.users import MAX_PASSWORD_LENGTH, normalize_email

_INVALID = "email or password is incorrect"


class LoginHandler:
    """Exchanges email + password for a token pair. Raises ``InvalidCredentials`` (same for both causes) and,
    only once the password is right, ``AccountDisabled``."""

    # Verified against when the email is unknown, so both failures cost one password verification and take
    # the same time (no account enumeration by timing). Made once per process with the real hasher's settings.
    _dummy_hash: str | None = None

    def __init__(
        self, users: UserRepository, hasher: PasswordHasher, tokens: TokenPairIssuer, uow: UnitOfWork
    ) -> None:
        self._users = users
        self._hasher = hasher
        self._tokens = tokens
        self._uow = uow

    async def __call__(self, command: Login) -> TokenPair:
        if len(command.password) > MAX_PASSWORD_LENGTH:  # refused before any hashing: no password is this long
            raise InvalidCredentials(_INVALID)
        try:
            email = normalize_email(command.email)
        except InvalidInput:
            raise InvalidCredentials(_INVALID) from None
        user = await self._users.get_by_email(email)
        if user is None:
            if LoginHandler._dummy_hash is None:
                LoginHandler._dummy_hash = await self._hasher.hash("not-a-real-password")
            await self._hasher.verify(LoginHandler._dummy_hash, command.password)
            raise InvalidCredentials(_INVALID)
        if not await self._hasher.verify(user.password_hash, command.password):
            raise InvalidCredentials(_INVALID)
        user.ensure_active()
        pair = await self._tokens.issue(user.id)
        await self._uow.commit()
        return pair
