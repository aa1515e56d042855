"""Faults only the scripted server can inject: retries before the first token, Retry-After, stalls, cuts and
malformed SSE, each ending in the outcome the chat runtime relies on."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from adapters.llm.openai_chat import ModelTimeouts, OpenAIChatModel
from adapters.llm.retry_policy import ModelRetryPolicy
from application.errors import ModelInterrupted, ModelUnavailable
from tests.integration.llm.conftest import RecordingSleep
from tests.integration.llm.helpers import collect, collect_until_error
from tests.support.scripted_llm_server import Cut, Fail, Malformed, Reply, ScriptedLLMServer, Stall

ModelFactory = Callable[..., OpenAIChatModel]


async def test_server_errors_before_the_first_token_are_retried_until_an_answer(
    scripted: ScriptedLLMServer, make_model: ModelFactory, sleep: RecordingSleep
) -> None:
    scripted.script(Fail(500), Fail(503), Reply(tokens=["ok"]))

    text, _ = await collect(make_model())

    assert text == "ok"
    assert len(scripted.requests) == 3
    assert len(sleep.delays) == 2


async def test_retry_after_of_a_429_is_honoured(
    scripted: ScriptedLLMServer, make_model: ModelFactory, sleep: RecordingSleep
) -> None:
    scripted.script(Fail(429, retry_after="2"), Reply(tokens=["ok"]))

    text, _ = await collect(make_model())

    assert text == "ok"
    assert sleep.delays[0] >= 2.0


async def test_a_retry_after_beyond_the_cap_fails_at_once_with_the_hint(
    scripted: ScriptedLLMServer, make_model: ModelFactory, sleep: RecordingSleep
) -> None:
    scripted.script(Fail(429, retry_after="120"))

    _, error = await collect_until_error(make_model())

    assert isinstance(error, ModelUnavailable)
    assert error.retry_after_seconds == 120
    assert len(scripted.requests) == 1
    assert sleep.delays == []


async def test_giving_up_after_the_last_attempt_raises_model_unavailable(
    scripted: ScriptedLLMServer, make_model: ModelFactory
) -> None:
    scripted.script(Fail(500), Fail(500), Fail(500), Reply())

    deltas, error = await collect_until_error(make_model(retry=ModelRetryPolicy(max_attempts=3, base_delay_seconds=0)))

    assert isinstance(error, ModelUnavailable)
    assert deltas == []
    assert len(scripted.requests) == 3


async def test_a_rejected_request_is_not_retried_and_does_not_count_against_the_breaker(
    scripted: ScriptedLLMServer, make_model: ModelFactory
) -> None:
    scripted.script(Fail(400))
    model = make_model()

    _, error = await collect_until_error(model)

    assert isinstance(error, ModelUnavailable)
    assert len(scripted.requests) == 1
    assert model.breaker.consecutive_failures == 0


async def test_a_stall_before_the_first_token_times_out_and_is_retried(
    scripted: ScriptedLLMServer, make_model: ModelFactory
) -> None:
    scripted.script(Stall(seconds=30), Reply(tokens=["after", " stall"]))
    timeouts = ModelTimeouts(connect_seconds=2, first_token_seconds=0.3, total_seconds=20)

    text, _ = await collect(make_model(timeouts=timeouts))

    assert text == "after stall"
    assert len(scripted.requests) == 2


async def test_a_cut_after_tokens_interrupts_without_retrying_or_duplicating(
    scripted: ScriptedLLMServer, make_model: ModelFactory
) -> None:
    scripted.script(Cut(tokens=["Cats", " sleep"]), Reply(tokens=["never", " sent"]))

    deltas, error = await collect_until_error(make_model())

    assert isinstance(error, ModelInterrupted)
    assert deltas == ["Cats", " sleep"]
    assert len(scripted.requests) == 1


@pytest.mark.parametrize(
    ("before", "expected"),
    [([], ModelUnavailable), (["Cats", " sleep"], ModelInterrupted)],
    ids=["before-first-token", "after-tokens"],
)
async def test_malformed_sse_is_an_error_not_a_crash(
    scripted: ScriptedLLMServer, make_model: ModelFactory, before: list[str], expected: type[Exception]
) -> None:
    scripted.script(Malformed(tokens=before))

    deltas, error = await collect_until_error(make_model())

    assert type(error) is expected
    assert deltas == before
    assert len(scripted.requests) == 1


@pytest.mark.parametrize(
    ("before", "expected"),
    [([], ModelUnavailable), (["Cats", " sleep"], ModelInterrupted)],
    ids=["before-first-token", "after-tokens"],
)
async def test_an_error_event_in_the_stream_ends_the_call_without_a_retry(
    scripted: ScriptedLLMServer, make_model: ModelFactory, before: list[str], expected: type[Exception]
) -> None:
    error_event = b'data: {"error": {"message": "the model is overloaded", "type": "server_error"}}\n\n'
    scripted.script(Malformed(tokens=before, raw=error_event), Reply(tokens=["never", " sent"]))

    deltas, error = await collect_until_error(make_model())

    assert type(error) is expected
    assert deltas == before
    assert len(scripted.requests) == 1


async def test_a_connection_cut_before_the_first_token_is_retried(
    scripted: ScriptedLLMServer, make_model: ModelFactory
) -> None:
    scripted.script(Cut(tokens=[]), Reply(tokens=["second", " try"]))

    text, _ = await collect(make_model())

    assert text == "second try"
    assert len(scripted.requests) == 2


async def test_an_answer_still_streaming_at_the_total_deadline_is_interrupted(
    scripted: ScriptedLLMServer, make_model: ModelFactory
) -> None:
    """Far from the deadline no timer guards a chunk (the read timeout does); near it one does: both are met."""
    scripted.script(Reply(tokens=[f" w{i}" for i in range(40)], token_delay=0.1))
    timeouts = ModelTimeouts(connect_seconds=2, first_token_seconds=0.5, total_seconds=1.5)

    deltas, error = await collect_until_error(make_model(timeouts=timeouts))

    assert isinstance(error, ModelInterrupted)
    assert 0 < len(deltas) < 40
    assert len(scripted.requests) == 1
