"""Issuing an access + refresh token pair, shared by Login and RefreshTokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

import msgspec

from application.ports.access_tokens import AccessTokens
from application.ports.clock import Clock
from application.ports.refresh_token_repository import RefreshTokenRepository
from domain.users import RefreshToken


class TokenPair(msgspec.Struct, frozen=True, kw_only=True):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"


def hash_refresh_token(token: str) -> str:
    """Refresh tokens are 256 random bits, so a fast hash is enough (no need for a password hash)."""
    return hashlib.sha256(token.encode()).hexdigest()


class TokenPairIssuer:
    def __init__(
        self,
        access_tokens: AccessTokens,
        refresh_tokens: RefreshTokenRepository,
        clock: Clock,
        refresh_ttl: timedelta,
    ) -> None:
        self._access = access_tokens
        self._refresh = refresh_tokens
        self._clock = clock
        self._refresh_ttl = refresh_ttl

    async def issue(self, user_id: uuid.UUID, family_id: uuid.UUID | None = None) -> TokenPair:
        raw = secrets.token_urlsafe(32)
        await self._refresh.add(
            RefreshToken(
                id=uuid.uuid4(),
                user_id=user_id,
                family_id=family_id or uuid.uuid4(),
                token_hash=hash_refresh_token(raw),
                expires_at=self._clock.now() + self._refresh_ttl,
            )
        )
        return TokenPair(
            access_token=self._access.issue(user_id),
            refresh_token=raw,
            expires_in=self._access.ttl_seconds,
        )
