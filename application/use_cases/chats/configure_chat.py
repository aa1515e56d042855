from __future__ import annotations

from application.commands import ConfigureChat
from application.ports.chat_repository import ChatRepository
from application.ports.clock import Clock
from application.ports.model_catalog import ModelCatalog
from application.ports.unit_of_work import UnitOfWork
from domain.chats import Chat, ChatSettings
from domain.errors import InvalidInput, NotFound


class ConfigureChatHandler:
    """Sets how the chat's answers are written: its model, instructions and temperature (all at once).

    Raises ``NotFound`` (chat missing or foreign) and ``InvalidInput`` (a model the provider does not list,
    instructions too long or with control characters, a temperature outside 0-2).
    """

    def __init__(self, chats: ChatRepository, catalog: ModelCatalog, clock: Clock, uow: UnitOfWork) -> None:
        self._chats = chats
        self._catalog = catalog
        self._clock = clock
        self._uow = uow

    async def __call__(self, command: ConfigureChat) -> Chat:
        chat = await self._chats.get(command.owner_id, command.chat_id)
        if chat is None:
            raise NotFound("chat not found")
        settings = ChatSettings(model=command.model, instructions=command.instructions, temperature=command.temperature)
        chat.configure(settings, self._clock.now())  # the shared rules first: a bad name is not looked up
        await ensure_model_listed(self._catalog, chat)
        await self._chats.update(chat)
        await self._uow.commit()
        return chat


async def ensure_model_listed(catalog: ModelCatalog, chat: Chat) -> None:
    """Raises ``InvalidInput`` when the chat names a model the provider does not list."""
    if chat.settings.model is not None:
        choices = await catalog.choices()
        if chat.settings.model not in choices.models:
            raise InvalidInput(
                f"unknown model {chat.settings.model!r}; choose one of: {', '.join(choices.models[:10])}",
                field="model",
            )
