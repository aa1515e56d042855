"""A chat's own model, instructions and temperature: checked when set, stored on the chat, and in every request
its answers make. Through the bus on the in-memory twins, with a recording model."""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator

import pytest
from dishka import Provider, Scope, provide

from adapters.inprocess.model_catalog import StaticModelCatalog
from application.commands import ConfigureChat, CreateChat, GetChat, ListModels, RegisterUser, SendMessage
from application.ports.chat_model import ChatModel, CompletionRequest, TextDelta, Usage
from application.ports.model_catalog import ModelCatalog
from application.prompting.instructions import CHAT_INSTRUCTIONS_HEADING, TEST_SYSTEM_PROMPT
from domain.chats import MAX_INSTRUCTIONS_LENGTH, ChatSettings
from domain.errors import InvalidInput, NotFound
from domain.stages import Stage
from tests.support.memory_app import MemoryApp, memory_app


class RecordingModel:
    def __init__(self) -> None:
        self.requests: list[CompletionRequest] = []

    @property
    def name(self) -> str:
        return "default-model"

    async def stream(self, request: CompletionRequest) -> AsyncGenerator[TextDelta | Usage, None]:
        self.requests.append(request)
        yield TextDelta(text="ok")
        yield Usage(prompt_tokens=1, completion_tokens=1)


class ModelsProvider(Provider):
    def __init__(self, model: RecordingModel) -> None:
        super().__init__()
        self._model = model

    @provide(scope=Scope.APP)
    def catalog(self) -> ModelCatalog:
        return StaticModelCatalog("default-model", ("other-model",))

    @provide(scope=Scope.APP)
    def chat_model(self) -> ChatModel:
        return self._model


async def _chat(app: MemoryApp) -> tuple[uuid.UUID, uuid.UUID]:
    user = await app.dispatch(RegisterUser(email=f"{uuid.uuid4().hex[:6]}@example.com", password="fine phrase"))
    chat = await app.dispatch(CreateChat(owner_id=user.id, stage=Stage.TEST))
    return user.id, chat.id


async def test_settings_are_stored_and_reach_the_model() -> None:
    model = RecordingModel()
    async with memory_app(ModelsProvider(model)) as app:
        owner, chat_id = await _chat(app)
        await app.dispatch(
            ConfigureChat(
                owner_id=owner,
                chat_id=chat_id,
                model="other-model",
                instructions="  Answer in French.  ",
                temperature=0.2,
            )
        )
        stored = (await app.dispatch(GetChat(owner_id=owner, chat_id=chat_id))).chat.settings
        assert stored == ChatSettings(model="other-model", instructions="Answer in French.", temperature=0.2)

        await app.dispatch(SendMessage(owner_id=owner, chat_id=chat_id, client_msg_id="m1", text="Hello"))
        await app.run_jobs()

        (request,) = model.requests
        assert (request.model, request.temperature) == ("other-model", 0.2)
        system = request.messages[0].content
        assert system.startswith(TEST_SYSTEM_PROMPT)
        assert f"{CHAT_INSTRUCTIONS_HEADING}\nAnswer in French." in system


async def test_a_chat_without_settings_leaves_model_and_temperature_to_the_configuration() -> None:
    model = RecordingModel()
    async with memory_app(ModelsProvider(model)) as app:
        owner, chat_id = await _chat(app)
        await app.dispatch(SendMessage(owner_id=owner, chat_id=chat_id, client_msg_id="m1", text="Hello"))
        await app.run_jobs()

    (request,) = model.requests
    assert (request.model, request.temperature) == (None, None)
    assert request.messages[0].content == TEST_SYSTEM_PROMPT


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"model": "gpt-9"}, "model"),
        ({"model": "  "}, "model"),
        ({"temperature": 2.5}, "temperature"),
        ({"temperature": -0.1}, "temperature"),
        ({"instructions": "x" * (MAX_INSTRUCTIONS_LENGTH + 1)}, "instructions"),
        ({"instructions": "bell\x07"}, "instructions"),
    ],
)
async def test_invalid_settings_are_refused_naming_the_field(settings: dict[str, object], field: str) -> None:
    async with memory_app(ModelsProvider(RecordingModel())) as app:
        owner, chat_id = await _chat(app)
        with pytest.raises(InvalidInput) as refused:
            await app.dispatch(ConfigureChat(owner_id=owner, chat_id=chat_id, **settings))  # type: ignore[arg-type]
        assert refused.value.field == field
        assert (await app.dispatch(GetChat(owner_id=owner, chat_id=chat_id))).chat.settings == ChatSettings()


async def test_the_listed_models_and_a_foreign_chat() -> None:
    async with memory_app(ModelsProvider(RecordingModel())) as app:
        owner, chat_id = await _chat(app)
        choices = await app.dispatch(ListModels(owner_id=owner))
        assert (choices.default, choices.models) == ("default-model", ["default-model", "other-model"])
        stranger, _ = await _chat(app)
        with pytest.raises(NotFound):
            await app.dispatch(ConfigureChat(owner_id=stranger, chat_id=chat_id, temperature=1.0))


async def test_the_offline_answerer_offers_only_itself() -> None:
    async with memory_app() as app:
        owner, _ = await _chat(app)
        choices = await app.dispatch(ListModels(owner_id=owner))
    assert choices.models == [choices.default] == ["offline-extractive"]
