"""Per-chat settings against the real llama.cpp server (llama-cpp-python serving Gemma 3 270M), as
docs/models.md configures it: its ``/v1/models`` is listed, and a chosen temperature is accepted."""

from __future__ import annotations

import msgspec
import pytest

from adapters.llm.openai_chat import ModelTimeouts, OpenAIChatModel
from adapters.llm.openai_model_catalog import OpenAIModelCatalog
from application.prompting.prompt_builder import PromptLimits, build_completion_request
from domain.chats import ChatSettings
from domain.stages import Stage
from tests.integration.llm.helpers import collect

pytestmark = pytest.mark.llm_server


async def test_the_servers_models_are_listed_and_a_temperature_is_accepted(llama_server: str) -> None:
    catalog = OpenAIModelCatalog(base_url=llama_server, default_model="gemma-3-270m")
    try:
        choices = await catalog.choices()
    finally:
        await catalog.aclose()
    assert choices.default == "gemma-3-270m"
    assert len(choices.models) >= 2, choices  # llama-cpp-python lists the model it serves (by path or alias)

    model = OpenAIChatModel(
        base_url=llama_server, model="gemma-3-270m", merge_system_prompt=True,
        timeouts=ModelTimeouts(connect_seconds=5, first_token_seconds=60, total_seconds=120),
    )  # fmt: skip
    request = build_completion_request(
        stage=Stage.TEST, question="Say hello.", limits=PromptLimits(max_answer_tokens=16),
        settings=ChatSettings(instructions="Answer in one word.", temperature=0.0),
    )  # fmt: skip
    try:
        text, _ = await collect(model, msgspec.structs.replace(request, model=choices.models[-1]))
    finally:
        await model.aclose()
    assert text.strip()
