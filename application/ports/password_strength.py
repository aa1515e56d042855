from __future__ import annotations

from typing import Protocol


class PasswordStrength(Protocol):
    """Knows the passwords attackers try first (lists of common and breached passwords)."""

    async def weakness(self, password: str) -> str | None:
        """Why ``password`` is easy to guess, in words for its owner; None when it is not."""
        ...
