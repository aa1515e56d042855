"""Sign-in rate limits: per address (every attempt), per account and address, per account."""

from __future__ import annotations

import asyncio

import pytest
from litestar.testing import AsyncTestClient

from adapters.inprocess.attempt_limiter import MemoryAttemptLimiter
from application.accounts.auth_throttle import AuthThrottle, RefusalPacing, ThrottleLimits
from domain.errors import InvalidCredentials, RateLimited
from entrypoints.http.app import create_app
from tests.support.clock import ManualTimer
from tests.support.memory_app import memory_container, memory_settings

LIMITS = ThrottleLimits(
    login_per_address=8, register_per_address=2, failures_per_account_and_address=3, failures_per_account=6
)


async def _login(throttle: AuthThrottle, address: str, email: str, *, correct: bool) -> str:
    async with throttle.login_attempt(address, email):
        if not correct:
            raise InvalidCredentials("email or password is incorrect")
    return "signed in"


async def _outcomes(throttle: AuthThrottle, address: str, email: str, tries: int) -> list[str]:
    outcomes = []
    for _ in range(tries):
        try:
            await _login(throttle, address, email, correct=False)
        except InvalidCredentials:
            outcomes.append("wrong")
        except RateLimited as exc:
            assert exc.retry_after_seconds > 0
            outcomes.append(exc.message)
    return outcomes


async def test_a_flood_from_one_address_is_refused_and_the_owner_signs_in_from_elsewhere() -> None:
    throttle = AuthThrottle(MemoryAttemptLimiter(), LIMITS)
    outcomes = await _outcomes(throttle, "203.0.113.66", "victim@example.com", 20)
    assert outcomes[:3] == ["wrong"] * 3
    assert set(outcomes[3:8]) == {"too many failed logins for this account from this address; try again later"}
    assert set(outcomes[8:]) == {"too many login attempts from this address; try again later"}
    assert await _login(throttle, "198.51.100.1", "victim@example.com", correct=True) == "signed in"


async def test_guesses_spread_over_addresses_lock_the_account_until_its_window_ends() -> None:
    now = [0.0]
    throttle = AuthThrottle(MemoryAttemptLimiter(clock=lambda: now[0]), LIMITS)
    for address in ("198.51.100.1", "198.51.100.2"):
        assert await _outcomes(throttle, address, "Victim@Example.com ", 3) == ["wrong"] * 3
    with pytest.raises(RateLimited, match="for this account; try") as refused:
        await _login(throttle, "198.51.100.99", "victim@example.com", correct=True)
    assert refused.value.retry_after_seconds == pytest.approx(LIMITS.account_window_seconds)
    now[0] += LIMITS.account_window_seconds
    assert await _login(throttle, "198.51.100.99", "victim@example.com", correct=True) == "signed in"


async def test_a_successful_login_clears_the_account_counts() -> None:
    throttle = AuthThrottle(MemoryAttemptLimiter(), ThrottleLimits(login_per_address=0, failures_per_account=3))
    for _ in range(10):
        assert await _outcomes(throttle, "198.51.100.1", "owner@example.com", 2) == ["wrong"] * 2
        assert await _login(throttle, "198.51.100.1", "owner@example.com", correct=True) == "signed in"


async def test_registrations_per_address_are_limited() -> None:
    throttle = AuthThrottle(MemoryAttemptLimiter(), LIMITS)
    await throttle.check_register("203.0.113.5")
    await throttle.check_register("203.0.113.5")
    with pytest.raises(RateLimited):
        await throttle.check_register("203.0.113.5")
    await throttle.check_register("203.0.113.6")


async def test_zero_switches_a_limit_off() -> None:
    throttle = AuthThrottle(MemoryAttemptLimiter(), ThrottleLimits(0, 0, 60.0, 0, 0))
    assert await _outcomes(throttle, "203.0.113.66", "victim@example.com", 100) == ["wrong"] * 100
    for _ in range(100):
        await throttle.check_register("203.0.113.66")


async def test_over_http_the_refusal_is_a_429_problem_with_retry_after() -> None:
    settings = {"login_attempts_per_address": 3, "register_attempts_per_address": 1}
    app = create_app(memory_container(**settings), memory_settings(**settings))
    credentials = {"email": "owner@example.com", "password": "a fine passphrase"}
    async with AsyncTestClient(app) as http:
        assert (await http.post("/auth/register", json=credentials)).status_code == 201
        refused_sign_up = await http.post("/auth/register", json={**credentials, "email": "other@example.com"})
        assert refused_sign_up.status_code == 429
        statuses = [(await http.post("/auth/login", json=credentials)).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = await http.post("/auth/login", json=credentials)
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    body = refused.json()
    assert body["status"] == 429 and body["code"] == "rate_limited"
    assert "too many login attempts" in body["detail"]


async def test_a_refusal_is_answered_after_the_pause_and_no_more_than_the_bound_wait() -> None:
    timer = ManualTimer()
    throttle = AuthThrottle(
        MemoryAttemptLimiter(), ThrottleLimits(login_per_address=1), RefusalPacing(timer, 1.0, max_waiting=2)
    )
    assert await _outcomes(throttle, "10.0.0.1", "a@example.com", 1) == ["wrong"]  # within the limit: at once
    paced = [asyncio.create_task(_outcomes(throttle, "10.0.0.1", "a@example.com", 1)) for _ in range(2)]
    await asyncio.wait_for(timer.until_sleeping(2), 10)
    beyond_the_bound = await asyncio.wait_for(_outcomes(throttle, "10.0.0.1", "a@example.com", 1), 10)
    assert beyond_the_bound == ["too many login attempts from this address; try again later"]
    assert not any(task.done() for task in paced)
    timer.advance(0.999)
    await asyncio.sleep(0)
    assert not any(task.done() for task in paced)
    timer.advance(0.001)
    assert [await asyncio.wait_for(task, 10) for task in paced] == [beyond_the_bound, beyond_the_bound]
    assert timer.sleeping == 0
