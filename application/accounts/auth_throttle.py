"""Rate limits on the sign-in doors, against floods (per client address) and password guessing (per account).

Three fixed-window counters, checked in this order, each only reached by attempts the previous one let through:
1. the client address: every login (registration) attempt — bounds the password-hashing work one client causes;
2. the account *from that address*: login attempts not yet proven right — one place guessing one password;
3. the account from anywhere: the same, summed — guessing spread over many addresses.
Attempts are counted when they start (so a burst of concurrent guesses cannot all slip past before the first
fails) and a successful login clears 2 and 3. A flood from one address therefore stops at its own limits and
never spends the account's whole budget: the owner, from elsewhere, still signs in. Only a guess spread over
more addresses than ``failures_per_account / failures_per_account_and_address`` can lock an account, and only
until its window ends.

A refused attempt is answered after a pause (``RefusalPacing``). Refusing costs little, but a client that
sends its next attempt as soon as the last one is answered, as brute-force tools and scripts do, would otherwise
turn the cheap refusals into a flood that takes the CPU every other user's requests need; paced, each such
client makes about one attempt per pause. The waiting refusals are bounded, so a client holding thousands of
connections is answered at once beyond the bound (a reverse proxy's limits are the defence there).
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from application.ports.attempt_limiter import AttemptLimiter
from application.ports.timer import Timer
from domain.errors import RateLimited


@dataclass(frozen=True, slots=True)
class ThrottleLimits:
    """A limit of 0 switches that limit off."""

    login_per_address: int = 30
    register_per_address: int = 10
    address_window_seconds: float = 60.0
    failures_per_account_and_address: int = 5
    failures_per_account: int = 50
    account_window_seconds: float = 900.0


@dataclass(frozen=True, slots=True)
class RefusalPacing:
    """``delay_seconds`` before a refusal is answered (0: at once), for at most ``max_waiting`` at a time."""

    timer: Timer
    delay_seconds: float = 1.0
    max_waiting: int = 1024


def _account(email: str) -> str:
    """Hashed, so raw addresses are not written to Redis key names; normalized like ``normalize_email``."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


class AuthThrottle:
    def __init__(self, limiter: AttemptLimiter, limits: ThrottleLimits, pacing: RefusalPacing | None = None) -> None:
        self._limiter = limiter
        self._limits = limits
        self._pacing = pacing
        self._waiting = 0

    async def check_register(self, address: str) -> None:
        """Raises ``RateLimited`` when ``address`` has tried to register too often lately."""
        limits = self._limits
        await self._count(
            f"register:{address}",
            limits.register_per_address,
            limits.address_window_seconds,
            "too many sign-up attempts from this address; try again later",
        )

    @asynccontextmanager
    async def login_attempt(self, address: str, email: str) -> AsyncIterator[None]:
        """Wraps one login: raises ``RateLimited`` over a limit (before any password is checked); when the body
        completes (the password was right), clears the account's counts."""
        limits, account = self._limits, _account(email)
        window = limits.account_window_seconds
        await self._count(
            f"login:{address}",
            limits.login_per_address,
            limits.address_window_seconds,
            "too many login attempts from this address; try again later",
        )
        await self._count(
            f"login:{account}:{address}",
            limits.failures_per_account_and_address,
            window,
            "too many failed logins for this account from this address; try again later",
        )
        await self._count(
            f"login:{account}",
            limits.failures_per_account,
            window,
            "too many failed logins for this account; try again later",
        )
        yield
        await self._limiter.clear(f"login:{account}:{address}")
        await self._limiter.clear(f"login:{account}")

    async def _count(self, key: str, limit: int, window_seconds: float, refusal: str) -> None:
        if not limit:
            return
        wait = await self._limiter.hit(key, limit, window_seconds)
        if wait > 0:
            await self._pace_refusal()
            raise RateLimited(refusal, wait)

    async def _pace_refusal(self) -> None:
        pacing = self._pacing
        if pacing is None or pacing.delay_seconds <= 0 or self._waiting >= pacing.max_waiting:
            return
        self._waiting += 1
        try:
            await pacing.timer.sleep(pacing.delay_seconds)
        finally:
            self._waiting -= 1
