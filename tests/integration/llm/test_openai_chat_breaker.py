"""The circuit breaker around the adapter: it opens after N failed calls, then fails fast without reaching
the server; after the cool-down one probe decides whether it closes again."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import aclosing

import msgspec

from adapters.llm.circuit_breaker import BreakerState
from adapters.llm.openai_chat import ModelTimeouts, OpenAIChatModel
from adapters.llm.retry_policy import ModelRetryPolicy
from application.errors import ModelNotOffered, ModelUnavailable
from application.retries import is_retryable
from tests.integration.llm.conftest import FakeClock
from tests.integration.llm.helpers import collect, collect_until_error, request
from tests.support.scripted_llm_server import Fail, Reply, ScriptedLLMServer, Stall

ModelFactory = Callable[..., OpenAIChatModel]
NO_RETRY = ModelRetryPolicy(max_attempts=1)


async def _open_breaker(scripted: ScriptedLLMServer, model: OpenAIChatModel, failures: int) -> None:
    scripted.script(*[Fail(500)] * failures)
    for _ in range(failures):
        _, error = await collect_until_error(model)
        assert isinstance(error, ModelUnavailable)
    assert model.breaker.state is BreakerState.OPEN


async def test_consecutive_failures_open_the_breaker_and_the_next_call_never_reaches_the_server(
    scripted: ScriptedLLMServer, make_model: ModelFactory
) -> None:
    model = make_model(retry=NO_RETRY, failure_threshold=2)
    await _open_breaker(scripted, model, failures=2)
    scripted.script(Reply(tokens=["would", " work"]))

    deltas, error = await collect_until_error(model)

    assert isinstance(error, ModelUnavailable)
    assert error.retry_after_seconds is not None and error.retry_after_seconds > 0
    assert deltas == []
    assert len(scripted.requests) == 2


async def test_a_success_resets_the_count_of_consecutive_failures(
    scripted: ScriptedLLMServer, make_model: ModelFactory
) -> None:
    model = make_model(retry=NO_RETRY, failure_threshold=2)
    scripted.script(Fail(500), Reply(), Fail(500))

    for _ in range(3):
        try:
            await collect(model)
        except ModelUnavailable:
            pass

    assert model.breaker.state is BreakerState.CLOSED


async def test_after_the_cool_down_a_successful_probe_closes_the_breaker(
    scripted: ScriptedLLMServer, make_model: ModelFactory, clock: FakeClock
) -> None:
    model = make_model(retry=NO_RETRY, failure_threshold=2)
    await _open_breaker(scripted, model, failures=2)

    clock.advance(31)
    assert model.breaker.state is BreakerState.HALF_OPEN
    text, _ = await collect(model)

    assert text
    assert model.breaker.state is BreakerState.CLOSED
    assert len(scripted.requests) == 3


async def test_a_failed_probe_opens_the_breaker_for_another_cool_down(
    scripted: ScriptedLLMServer, make_model: ModelFactory, clock: FakeClock
) -> None:
    model = make_model(retry=NO_RETRY, failure_threshold=2)
    await _open_breaker(scripted, model, failures=2)
    clock.advance(31)
    scripted.script(Fail(503))

    _, probe_error = await collect_until_error(model)
    _, next_error = await collect_until_error(model)

    assert isinstance(probe_error, ModelUnavailable)
    assert isinstance(next_error, ModelUnavailable)
    assert model.breaker.state is BreakerState.OPEN
    assert len(scripted.requests) == 3


async def test_half_open_lets_a_single_probe_through_and_a_cancelled_probe_frees_the_slot(
    scripted: ScriptedLLMServer, make_model: ModelFactory, clock: FakeClock
) -> None:
    timeouts = ModelTimeouts(connect_seconds=2, first_token_seconds=30, total_seconds=60)
    model = make_model(retry=NO_RETRY, failure_threshold=1, timeouts=timeouts)
    await _open_breaker(scripted, model, failures=1)
    clock.advance(31)
    scripted.script(Stall(seconds=30))

    async def probe() -> None:
        async with aclosing(model.stream(request())) as stream:
            async for _ in stream:
                pass

    probe_task = asyncio.create_task(probe())
    async with asyncio.timeout(10):
        await scripted.wait_for_requests(2)
    _, concurrent_error = await collect_until_error(model)
    probe_task.cancel()
    await asyncio.gather(probe_task, return_exceptions=True)
    text, _ = await collect(model)

    assert isinstance(concurrent_error, ModelUnavailable)
    assert text
    assert model.breaker.state is BreakerState.CLOSED
    assert len(scripted.requests) == 3


async def test_a_chat_naming_a_model_the_server_does_not_have_does_not_open_the_breaker(
    scripted: ScriptedLLMServer, make_model: ModelFactory
) -> None:
    """Chats choose their own model; one the server has dropped (404) fails that chat's turns only, with an error
    that says so and is not offered as retryable."""
    model = make_model(retry=NO_RETRY, failure_threshold=2)
    missing = Fail(404, message="The model `dropped-model` does not exist", code="model_not_found")
    scripted.script(missing, Fail(404, message="model 'dropped-model' not found"), missing)
    gone = msgspec.structs.replace(request(), model="dropped-model")

    for _ in range(3):
        _, error = await collect_until_error(model, gone)
        assert isinstance(error, ModelNotOffered) and "“dropped-model”" in error.message
        assert not is_retryable(error)

    assert model.breaker.state is BreakerState.CLOSED
    text, _ = await collect(model)
    assert text


async def test_a_404_that_says_nothing_of_the_model_is_the_model_server_unavailable(
    scripted: ScriptedLLMServer, make_model: ModelFactory
) -> None:
    """A wrong base URL answers 404 too; that is not the chat's model missing."""
    model = make_model(retry=NO_RETRY)
    scripted.script(Fail(404, message="Not Found"))
    _, error = await collect_until_error(model)
    assert isinstance(error, ModelUnavailable)
