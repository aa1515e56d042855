"""A circuit breaker for the model endpoint, shared by every chat session of the process.

When the model is down, each turn would otherwise wait out connect timeouts and retries; after
``failure_threshold`` consecutive failed calls the breaker opens and calls fail at once. After
``cool_down_seconds`` one call (and only one) is let through as a probe: its success closes the breaker, its
failure opens it for another cool-down. Single event loop, so no locking is needed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from enum import StrEnum

log = logging.getLogger(__name__)


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitOpen(Exception):
    """Raised by ``acquire`` instead of letting a call through; ``retry_after`` is the cool-down left."""

    def __init__(self, name: str, retry_after: float) -> None:
        super().__init__(f"circuit breaker {name!r} is open; retry in {retry_after:.1f}s")
        self.retry_after = retry_after


class CircuitBreaker:
    def __init__(
        self,
        *,
        name: str = "llm",
        failure_threshold: int = 5,
        cool_down_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self._threshold = max(1, failure_threshold)
        self._cool_down = cool_down_seconds
        self._clock = clock
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._probe_in_flight = False

    @property
    def state(self) -> BreakerState:
        """What a caller would meet now: an open breaker whose cool-down is over reads as half-open."""
        if self._state is BreakerState.OPEN and self._cool_down_left() <= 0:
            return BreakerState.HALF_OPEN
        return self._state

    @property
    def consecutive_failures(self) -> int:
        return self._failures

    def acquire(self) -> None:
        """Call before each model call; raises ``CircuitOpen`` when the call must not be made. Every call that
        got through must end in exactly one of ``record_success``, ``record_failure`` or ``release``."""
        if self._state is BreakerState.CLOSED:
            return
        if self._state is BreakerState.OPEN:
            if (left := self._cool_down_left()) > 0:
                raise CircuitOpen(self.name, left)
            self._transition(BreakerState.HALF_OPEN)
        if self._probe_in_flight:
            raise CircuitOpen(self.name, 0.0)
        self._probe_in_flight = True

    def record_success(self) -> None:
        self._failures = 0
        self._probe_in_flight = False
        if self._state is not BreakerState.CLOSED:
            self._transition(BreakerState.CLOSED)

    def record_failure(self) -> None:
        self._failures += 1
        was_probe, self._probe_in_flight = self._probe_in_flight, False
        if was_probe or self._state is BreakerState.HALF_OPEN or self._failures >= self._threshold:
            if self._state is not BreakerState.OPEN:
                self._transition(BreakerState.OPEN)
            self._opened_at = self._clock()

    def release(self) -> None:
        """The call ended without a verdict (the user cancelled): a half-open breaker admits a new probe."""
        self._probe_in_flight = False

    def _cool_down_left(self) -> float:
        return self._opened_at + self._cool_down - self._clock()

    def _transition(self, to: BreakerState) -> None:
        level = logging.WARNING if to is BreakerState.OPEN else logging.INFO
        log.log(
            level,
            "circuit breaker %s: %s -> %s",
            self.name,
            self._state.value,
            to.value,
            extra={
                "breaker": self.name,
                "from_state": self._state.value,
                "to_state": to.value,
                "consecutive_failures": self._failures,
            },
        )
        self._state = to
