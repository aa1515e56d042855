from __future__ import annotations

from application.commands import ListChats
from application.ports.chat_repository import ChatRepository
from domain.chats import Chat


class ListChatsHandler:
    def __init__(self, chats: ChatRepository) -> None:
        self._chats = chats

    async def __call__(self, command: ListChats) -> list[Chat]:
        return await self._chats.list(command.owner_id)
