"""Token buckets for the WebSocket: one per user for chat messages, one per socket for all frames."""

from __future__ import annotations

import time
from collections import OrderedDict


class TokenBucket:
    def __init__(self, rate_per_second: float, burst: float) -> None:
        self._rate = rate_per_second
        self._burst = burst
        self._tokens = burst
        self._stamp = time.monotonic()

    def take(self) -> float:
        """0 when allowed; otherwise the seconds until a token is available (and nothing is taken)."""
        now = time.monotonic()
        self._tokens = min(self._burst, self._tokens + (now - self._stamp) * self._rate)
        self._stamp = now
        if self._tokens >= 1:
            self._tokens -= 1
            return 0.0
        return (1 - self._tokens) / self._rate


class PerKeyBuckets:
    """Buckets by key (user id), the least recently used dropped past ``max_keys``. Per process: with several
    API replicas a user's effective limit is multiplied by the replicas they reach (documented)."""

    def __init__(self, rate_per_second: float, burst: float, max_keys: int = 10_000) -> None:
        self._rate = rate_per_second
        self._burst = burst
        self._max = max_keys
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()

    def take(self, key: str) -> float:
        bucket = self._buckets.pop(key, None) or TokenBucket(self._rate, self._burst)
        self._buckets[key] = bucket
        while len(self._buckets) > self._max:
            self._buckets.popitem(last=False)
        return bucket.take()
