from __future__ import annotations

import time
import uuid
from typing import Any

import jwt

from domain.errors import InvalidToken

_ALGORITHM = "HS256"
_AUDIENCE = "ragchat"


class JwtAccessTokens:
    """HS256 access tokens: ``sub`` is the user id. Short-lived, so revocation is left to refresh tokens."""

    def __init__(self, secret: str, ttl_seconds: int) -> None:
        self._secret = secret
        self._ttl = ttl_seconds

    @property
    def ttl_seconds(self) -> int:
        return self._ttl

    def issue(self, user_id: uuid.UUID) -> str:
        now = int(time.time())
        claims = {"sub": str(user_id), "iat": now, "exp": now + self._ttl, "aud": _AUDIENCE, "jti": uuid.uuid4().hex}
        return jwt.encode(claims, self._secret, algorithm=_ALGORITHM)

    def verify(self, token: str) -> uuid.UUID:
        return uuid.UUID(self._claims(token)["sub"])

    def seconds_left(self, token: str) -> float:
        return max(0.0, float(self._claims(token)["exp"]) - time.time())

    def _claims(self, token: str) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._secret,
                algorithms=[_ALGORITHM],
                audience=_AUDIENCE,
                options={"require": ["sub", "exp", "aud"]},
            )
            uuid.UUID(claims["sub"])
            return claims
        except jwt.ExpiredSignatureError:
            raise InvalidToken("access token has expired") from None
        except (jwt.PyJWTError, ValueError, TypeError):
            raise InvalidToken("access token is invalid") from None
