"""The adapter over real HTTP against the scripted server: normal streams, usage, cancellation."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import aclosing

import msgspec

from adapters.llm.openai_chat import OpenAIChatModel
from application.ports.chat_model import TextDelta
from application.prompting.token_budget import count_message_tokens, estimate_tokens
from tests.integration.llm.helpers import collect, request
from tests.support.scripted_llm_server import Reply, ScriptedLLMServer

ModelFactory = Callable[..., OpenAIChatModel]


async def test_streams_the_tokens_in_order_with_the_servers_usage(
    scripted: ScriptedLLMServer, make_model: ModelFactory
) -> None:
    scripted.script(Reply(tokens=["Cats", " sleep", " a lot."], usage=(21, 3)))

    text, usage = await collect(make_model(), request(max_tokens=40))

    assert text == "Cats sleep a lot."
    assert (usage.prompt_tokens, usage.completion_tokens, usage.estimated) == (21, 3, False)
    sent = scripted.requests[0]
    assert sent["stream"] is True
    assert sent["stream_options"] == {"include_usage": True}
    assert sent["model"] == "scripted-model"
    assert sent["max_tokens"] == 40
    assert [m["role"] for m in sent["messages"]] == ["system", "user"]
    assert "temperature" not in sent, "no temperature chosen: the server's default applies"


async def test_a_chats_own_model_and_temperature_are_sent(
    scripted: ScriptedLLMServer, make_model: ModelFactory
) -> None:
    chosen = msgspec.structs.replace(request(), model="other-model", temperature=0.3)

    await collect(make_model(), chosen)

    assert (scripted.requests[0]["model"], scripted.requests[0]["temperature"]) == ("other-model", 0.3)


async def test_usage_is_counted_and_marked_estimated_when_the_server_sends_none(
    scripted: ScriptedLLMServer, make_model: ModelFactory
) -> None:
    scripted.script(Reply(tokens=["Cats", " sleep", " a lot."], usage=None))
    req = request()

    text, usage = await collect(make_model(), req)

    assert usage.estimated
    assert usage.completion_tokens == estimate_tokens(text)
    assert usage.prompt_tokens == count_message_tokens(req.messages)


async def test_system_prompt_can_be_folded_into_the_first_user_turn(
    scripted: ScriptedLLMServer, make_model: ModelFactory
) -> None:
    await collect(make_model(merge_system_prompt=True), request("Hi?"))

    assert scripted.requests[0]["messages"] == [{"role": "user", "content": "Be brief.\n\nHi?"}]


async def test_stopping_the_iteration_closes_the_http_stream(
    scripted: ScriptedLLMServer, make_model: ModelFactory
) -> None:
    scripted.script(Reply(tokens=[f" t{i}" for i in range(200)], token_delay=0.01))
    model = make_model()
    received: list[str] = []

    async with aclosing(model.stream(request())) as stream:
        async for item in stream:
            assert isinstance(item, TextDelta)
            received.append(item.text)
            if len(received) == 2:
                break

    await asyncio.wait_for(scripted.client_gone.wait(), timeout=10)
    assert received == [" t0", " t1"]
    assert model.breaker.consecutive_failures == 0


async def test_cancelling_the_consuming_task_closes_the_http_stream(
    scripted: ScriptedLLMServer, make_model: ModelFactory
) -> None:
    scripted.script(Reply(tokens=[f" t{i}" for i in range(500)], token_delay=0.01))
    model = make_model()
    first_token = asyncio.Event()

    async def consume() -> None:
        async with aclosing(model.stream(request())) as stream:
            async for _ in stream:
                first_token.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(first_token.wait(), timeout=10)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)

    await asyncio.wait_for(scripted.client_gone.wait(), timeout=10)
    assert task.cancelled()
