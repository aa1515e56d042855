from __future__ import annotations

from typing import Protocol


class PasswordHasher(Protocol):
    """Hashing is deliberately slow (hundreds of ms of CPU): implementations keep it off the event loop."""

    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool: ...
