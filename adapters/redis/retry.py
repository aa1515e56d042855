"""Bounded retries around Redis calls, and the one place Redis exceptions become application errors."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from application.errors import StorageUnavailable

log = logging.getLogger(__name__)

T = TypeVar("T")

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (RedisConnectionError, RedisTimeoutError, OSError)
"""Worth another try: the server restarted, a connection broke, a reply was late. (``BusyLoadingError`` is a
``ConnectionError`` too.) Other ``RedisError``s (a bad script, OOM) fail at once."""


@dataclass(frozen=True, slots=True)
class RedisRetryPolicy:
    attempts: int = 4
    """Total tries, the first included."""
    base_delay: float = 0.05
    max_delay: float = 1.0

    def delay(self, failed_attempt: int) -> float:
        """Full jitter: uniform in [0, min(max, base * 2**n)], so retrying clients do not stampede."""
        return random.uniform(0.0, min(self.max_delay, self.base_delay * 2**failed_attempt))


async def call_with_retry(op: Callable[[int], Awaitable[T]], *, policy: RedisRetryPolicy, what: str) -> T:
    """Runs ``op(attempt)`` (attempt counts from 0) until it succeeds or the policy is spent.

    ``op`` gets the attempt number so a non-idempotent call can make its retry safe (the delivery log's append
    checks whether the lost reply's append happened). Raises ``StorageUnavailable`` from the last error.
    """
    for attempt in range(policy.attempts):
        try:
            return await op(attempt)
        except TRANSIENT_ERRORS as exc:
            if attempt + 1 >= policy.attempts:
                log.error("redis call failed, giving up", extra={"what": what, "attempts": attempt + 1})
                raise StorageUnavailable("chat storage is temporarily unavailable") from exc
            delay = policy.delay(attempt)
            log.warning(
                "redis call failed, retrying",
                extra={"what": what, "attempt": attempt + 1, "delay": round(delay, 3), "error": repr(exc)},
            )
            await asyncio.sleep(delay)
        except RedisError as exc:
            log.error("redis call failed", extra={"what": what, "error": repr(exc)})
            raise StorageUnavailable("chat storage failed") from exc
    raise AssertionError("unreachable: attempts must be at least 1")
