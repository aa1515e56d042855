"""The adapter against a real OpenAI-compatible server nobody here wrote (llama.cpp serving Gemma 3 270M)."""

from __future__ import annotations

from contextlib import aclosing

import pytest

from adapters.llm.openai_chat import ModelTimeouts, OpenAIChatModel
from application.ports.chat_model import TextDelta
from application.prompting.prompt_builder import PromptLimits, build_completion_request
from application.prompting.token_budget import estimate_tokens
from domain.stages import Stage
from tests.integration.llm.helpers import collect
from tests.unit.prompting.factories import passage

pytestmark = pytest.mark.llm_server
TIMEOUTS = ModelTimeouts(connect_seconds=5, first_token_seconds=60, total_seconds=120)


def _model(url: str) -> OpenAIChatModel:
    return OpenAIChatModel(base_url=url, model="gemma-3-270m", timeouts=TIMEOUTS, merge_system_prompt=True)


async def test_a_streamed_answer_arrives_with_usage(llama_server: str) -> None:
    model = _model(llama_server)
    req = build_completion_request(
        stage=Stage.ANSWERING,
        question="How long do cats sleep each day?",
        passages=[passage("Cats sleep between twelve and sixteen hours a day.")],
        limits=PromptLimits(max_answer_tokens=32),
    )
    try:
        text, usage = await collect(model, req)
    finally:
        await model.aclose()

    assert text.strip()
    assert usage.prompt_tokens > 0
    assert usage.completion_tokens > 0
    if usage.estimated:  # llama.cpp sends no usage chunk in streams: the adapter counted
        assert usage.completion_tokens == estimate_tokens(text)


async def test_a_stopped_answer_frees_the_server_for_the_next_one(llama_server: str) -> None:
    model = _model(llama_server)
    limits = PromptLimits(max_answer_tokens=32)
    question = build_completion_request(stage=Stage.TEST, question="Count from one to a hundred.", limits=limits)
    try:
        async with aclosing(model.stream(question)) as stream:
            async for item in stream:
                assert isinstance(item, TextDelta)
                break
        text, _ = await collect(model, build_completion_request(stage=Stage.TEST, question="Hi!", limits=limits))
    finally:
        await model.aclose()

    assert text.strip()
