from __future__ import annotations

from collections.abc import Iterable

from adapters.auth.zxcvbn_password_strength import COMMON

DEFAULT_COMMON = ("password123", "1234567890", "qwertyuiop", "iloveyou123")


class ListPasswordStrength:
    """The twin of ``ZxcvbnPasswordStrength``: refuses exactly the passwords it is given (case-blind)."""

    def __init__(self, common: Iterable[str] = DEFAULT_COMMON) -> None:
        self._common = frozenset(p.lower() for p in common)

    async def weakness(self, password: str) -> str | None:
        return COMMON if password.lower() in self._common else None
