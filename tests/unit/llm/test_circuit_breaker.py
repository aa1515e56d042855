import logging

import pytest

from adapters.llm.circuit_breaker import BreakerState, CircuitBreaker, CircuitOpen


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def breaker(clock: Clock, threshold: int = 3) -> CircuitBreaker:
    return CircuitBreaker(failure_threshold=threshold, cool_down_seconds=10, clock=clock)


def fail(b: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        b.acquire()
        b.record_failure()


def test_opens_after_the_threshold_of_consecutive_failures_only() -> None:
    clock = Clock()
    b = breaker(clock)
    fail(b, 2)
    b.acquire()
    b.record_success()
    fail(b, 2)
    assert b.state is BreakerState.CLOSED
    fail(b, 1)
    assert b.state is BreakerState.OPEN


def test_while_open_calls_are_refused_with_the_cool_down_left() -> None:
    clock = Clock()
    b = breaker(clock)
    fail(b, 3)
    clock.now = 4
    with pytest.raises(CircuitOpen) as refused:
        b.acquire()
    assert refused.value.retry_after == pytest.approx(6)


def test_after_the_cool_down_exactly_one_probe_goes_through() -> None:
    clock = Clock()
    b = breaker(clock)
    fail(b, 3)
    clock.now = 10
    assert b.state is BreakerState.HALF_OPEN
    b.acquire()
    with pytest.raises(CircuitOpen):
        b.acquire()
    b.record_success()
    assert b.state is BreakerState.CLOSED
    b.acquire()


def test_a_failed_probe_reopens_for_a_full_cool_down() -> None:
    clock = Clock()
    b = breaker(clock)
    fail(b, 3)
    clock.now = 10
    fail(b, 1)
    assert b.state is BreakerState.OPEN
    clock.now = 19
    with pytest.raises(CircuitOpen):
        b.acquire()
    clock.now = 20
    b.acquire()


def test_a_probe_released_without_verdict_lets_another_probe_in() -> None:
    clock = Clock()
    b = breaker(clock)
    fail(b, 3)
    clock.now = 10
    b.acquire()
    b.release()
    b.acquire()
    assert b.state is BreakerState.HALF_OPEN


def test_transitions_are_logged_with_structured_fields(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    b = breaker(clock, threshold=1)
    with caplog.at_level(logging.INFO, logger="adapters.llm.circuit_breaker"):
        fail(b, 1)
        clock.now = 10
        b.acquire()
        b.record_success()
    moves = [(r.from_state, r.to_state, r.levelname) for r in caplog.records]  # type: ignore[attr-defined]
    assert moves == [
        ("closed", "open", "WARNING"),
        ("open", "half_open", "INFO"),
        ("half_open", "closed", "INFO"),
    ]
