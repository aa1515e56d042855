from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

from dishka import Provider, Scope, provide
from redis.asyncio import Redis

from adapters.auth.argon2_password_hasher import Argon2PasswordHasher
from adapters.auth.jwt_access_tokens import JwtAccessTokens
from adapters.auth.offloaded_password_hasher import OffloadedPasswordHasher
from adapters.auth.zxcvbn_password_strength import ZxcvbnPasswordStrength
from adapters.inprocess.attempt_limiter import MemoryAttemptLimiter
from adapters.redis.attempt_limiter import RedisAttemptLimiter
from application.accounts.auth_throttle import AuthThrottle, RefusalPacing, ThrottleLimits
from application.ports.access_tokens import AccessTokens
from application.ports.attempt_limiter import AttemptLimiter
from application.ports.password_hasher import PasswordHasher
from application.ports.password_strength import PasswordStrength
from application.ports.timer import Timer
from application.use_cases.accounts.invitation_codes import InvitationPolicy
from domain.signup import SignupMode
from entrypoints.http.client_address import ClientAddressResolver, parse_networks
from entrypoints.settings import Settings


def embedded_jwt_secret(data_dir: Path) -> str:
    """One secret per data folder, made on first start, so tokens survive restarts of a laptop install."""
    path = data_dir / "jwt-secret"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


class AuthProvider(Provider):
    @provide(scope=Scope.APP)
    async def password_hasher(self, settings: Settings) -> AsyncIterator[PasswordHasher]:
        hasher = OffloadedPasswordHasher(Argon2PasswordHasher(), workers=settings.password_hash_concurrency)
        yield hasher
        hasher.close()

    @provide(scope=Scope.APP)
    def access_tokens(self, settings: Settings) -> AccessTokens:
        secret = settings.jwt_secret or embedded_jwt_secret(settings.data_path)
        return JwtAccessTokens(secret, settings.access_token_ttl_seconds)

    @provide(scope=Scope.APP)
    def auth_throttle(self, limiter: AttemptLimiter, settings: Settings, timer: Timer) -> AuthThrottle:
        return AuthThrottle(
            limiter,
            ThrottleLimits(
                login_per_address=settings.login_attempts_per_address,
                register_per_address=settings.register_attempts_per_address,
                address_window_seconds=settings.auth_address_window_seconds,
                failures_per_account_and_address=settings.login_failures_per_account_and_address,
                failures_per_account=settings.login_failures_per_account,
                account_window_seconds=settings.login_failure_window_seconds,
            ),
            RefusalPacing(timer, settings.auth_refusal_delay_ms / 1000, settings.auth_refusals_waiting),
        )

    @provide(scope=Scope.APP)
    def client_addresses(self, settings: Settings) -> ClientAddressResolver:
        return ClientAddressResolver(parse_networks(settings.trusted_proxies))

    @provide(scope=Scope.APP)
    def password_strength(self) -> PasswordStrength:
        return ZxcvbnPasswordStrength()

    @provide(scope=Scope.APP)
    def signup_mode(self, settings: Settings) -> SignupMode:
        return settings.signup_mode

    @provide(scope=Scope.APP)
    def invitation_policy(self, settings: Settings) -> InvitationPolicy:
        return InvitationPolicy(ttl_seconds=settings.invitation_ttl_seconds)


class InProcessAttemptLimiterProvider(Provider):
    """Embedded mode: one process serves every request, so its own counters are the whole truth."""

    @provide(scope=Scope.APP)
    def attempt_limiter(self) -> AttemptLimiter:
        return MemoryAttemptLimiter()


class RedisAttemptLimiterProvider(Provider):
    """With ``REDIS_URL``: every API replica counts against the same budget (the chat state's client)."""

    @provide(scope=Scope.APP)
    def attempt_limiter(self, client: Redis, settings: Settings) -> AttemptLimiter:
        return RedisAttemptLimiter(client, prefix=settings.redis_prefix)
