from __future__ import annotations

from application.commands import PinChat
from application.ports.chat_repository import ChatRepository
from application.ports.unit_of_work import UnitOfWork
from domain.chats import Chat
from domain.errors import NotFound


class PinChatHandler:
    """Pins a chat to the top of the list, or unpins it. Pinning again is a no-op. Raises ``NotFound`` (missing or
    foreign chat)."""

    def __init__(self, chats: ChatRepository, uow: UnitOfWork) -> None:
        self._chats = chats
        self._uow = uow

    async def __call__(self, command: PinChat) -> Chat:
        chat = await self._chats.get(command.owner_id, command.chat_id)
        if chat is None:
            raise NotFound("chat not found")
        if chat.pin(command.pinned):
            await self._chats.update(chat)
            await self._uow.commit()
        return chat
