"""Password strength from zxcvbn: its list of the 30,000 most common passwords (from breach corpora) and its
guess estimator, which also knows common words, names, keyboard walks, dates, repeats and sequences."""

from __future__ import annotations

import asyncio
from functools import cache

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_GUESSES_LOG10 = 6.0
"""Refused below a million estimated guesses (zxcvbn score 0-1): too few to survive an offline attack."""
_ESTIMATED_PREFIX = 72  # zxcvbn refuses longer input; the prefix decides whether a long password is weak
COMMON = "it is one of the most common passwords"


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


class ZxcvbnPasswordStrength:
    async def weakness(self, password: str) -> str | None:
        """Estimating takes up to ~80 ms of CPU for a long password, so it runs off the event loop."""
        return await asyncio.to_thread(_weakness, password)


def _weakness(password: str) -> str | None:
    if password.lower() in _common_passwords():
        return COMMON
    estimate = zxcvbn(password[:_ESTIMATED_PREFIX])
    if float(estimate["guesses_log10"]) >= MIN_GUESSES_LOG10:
        return None
    warning = str(estimate["feedback"].get("warning") or "").rstrip(".")
    return (warning[:1].lower() + warning[1:]) if warning else "it follows a pattern that is quick to guess"
