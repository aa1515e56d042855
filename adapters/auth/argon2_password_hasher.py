from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Argon2PasswordHasher:
    """argon2id with the library's RFC 9106 low-memory defaults (the library tracks current guidance).

    Synchronous and CPU-bound (argon2-cffi releases the GIL while hashing); the service reaches it through
    ``OffloadedPasswordHasher``, never from the event loop.
    """

    def __init__(self, time_cost: int | None = None, memory_cost: int | None = None) -> None:
        kwargs: dict[str, Any] = {k: v for k, v in {"time_cost": time_cost, "memory_cost": memory_cost}.items() if v}
        self._argon2 = _Argon2(**kwargs)

    def hash(self, password: str) -> str:
        return self._argon2.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._argon2.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
