"""Fixtures for the model adapter against real HTTP: the scripted fault-injecting server (per test) and the
real llama.cpp server (per session, registered in ``tests/conftest.py``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from adapters.llm.circuit_breaker import CircuitBreaker
from adapters.llm.openai_chat import ModelTimeouts, OpenAIChatModel
from adapters.llm.retry_policy import ModelRetryPolicy
from tests.support.scripted_llm_server import ScriptedLLMServer


class RecordingSleep:
    """Stands in for ``asyncio.sleep`` in the adapter: remembers the backoff it chose, waits no time."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        await asyncio.sleep(0)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
async def scripted() -> AsyncIterator[ScriptedLLMServer]:
    async with ScriptedLLMServer() as server:
        yield server


@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def make_model(
    scripted: ScriptedLLMServer, sleep: RecordingSleep, clock: FakeClock
) -> AsyncIterator[Callable[..., OpenAIChatModel]]:
    """Builds the adapter against the scripted server; keyword overrides for timeouts, retry, breaker."""
    built: list[OpenAIChatModel] = []

    def build(
        *,
        timeouts: ModelTimeouts | None = None,
        retry: ModelRetryPolicy | None = None,
        failure_threshold: int = 5,
        **kwargs: Any,
    ) -> OpenAIChatModel:
        model = OpenAIChatModel(
            base_url=scripted.base_url,
            model="scripted-model",
            timeouts=timeouts or ModelTimeouts(connect_seconds=2, first_token_seconds=5, total_seconds=20),
            retry=retry or ModelRetryPolicy(max_attempts=3, base_delay_seconds=0.01, max_delay_seconds=0.05),
            breaker=CircuitBreaker(failure_threshold=failure_threshold, cool_down_seconds=30, clock=clock),
            sleep=sleep,
            **kwargs,
        )
        built.append(model)
        return model

    yield build
    for model in built:
        await model.aclose()
