"""When and how long to wait before trying the model again (only ever before its first token).

Exponential backoff with "equal jitter" (half the delay fixed, half random) so sessions that failed together
do not retry together; a server's ``Retry-After`` (seconds or an HTTP date, or OpenAI's ``retry-after-ms``)
is honoured when it asks for longer, up to ``max_retry_after_seconds`` beyond which retrying is pointless.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime

import msgspec


class ModelRetryPolicy(msgspec.Struct, frozen=True, kw_only=True):
    max_attempts: int = 3
    """Attempts per call, the first included; 1 disables retries."""
    base_delay_seconds: float = 0.5
    max_delay_seconds: float = 8.0
    max_retry_after_seconds: float = 30.0
    """A Retry-After longer than this ends the call with ``ModelUnavailable`` instead of waiting."""

    def backoff(self, attempt: int, rng: Callable[[], float] = random.random) -> float:
        """Delay after failed attempt number ``attempt`` (1-based)."""
        ceiling = min(self.max_delay_seconds, self.base_delay_seconds * 2.0 ** (attempt - 1))
        return ceiling / 2 + rng() * ceiling / 2


def retry_after_seconds(headers: Mapping[str, str], now: Callable[[], float] = time.time) -> float | None:
    """The wait a response asked for, or ``None`` when it named none (or named it unreadably)."""
    if (ms := headers.get("retry-after-ms")) is not None:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value).timestamp()
        return max(0.0, float(moment) - now())
    except (TypeError, ValueError):
        return None
