from __future__ import annotations

import uuid
from typing import Protocol


class AccessTokens(Protocol):
    """Short-lived bearer tokens that prove who a request is from without a database round trip."""

    @property
    def ttl_seconds(self) -> int: ...

    def issue(self, user_id: uuid.UUID) -> str: ...

    def verify(self, token: str) -> uuid.UUID:
        """Returns the user id; raises ``InvalidToken`` for anything expired, forged or malformed."""
        ...

    def seconds_left(self, token: str) -> float:
        """How long a token that ``verify`` accepted stays valid (a WebSocket is closed when it expires)."""
        ...
