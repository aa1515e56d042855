from __future__ import annotations

import os
import secrets
from pathlib import Path

from dishka import Provider, Scope, provide

from adapters.auth.argon2_password_hasher import Argon2PasswordHasher
from adapters.auth.jwt_access_tokens import JwtAccessTokens
from application.ports.access_tokens import AccessTokens
from application.ports.password_hasher import PasswordHasher
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
    def password_hasher(self) -> PasswordHasher:
        return Argon2PasswordHasher()

    @provide(scope=Scope.APP)
    def access_tokens(self, settings: Settings) -> AccessTokens:
        secret = settings.jwt_secret or embedded_jwt_secret(settings.data_path)
        return JwtAccessTokens(secret, settings.access_token_ttl_seconds)
