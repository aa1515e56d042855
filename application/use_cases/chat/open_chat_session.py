from __future__ import annotations

from application.commands import OpenChatSession
from application.ports.chat_repository import ChatRepository
from application.ports.delivery_log import DeliveryLog
from domain.errors import NotFound
from domain.snapshots import ChatSnapshot


class OpenChatSessionHandler:
    """Raises ``NotFound`` for a missing or foreign chat (the socket then closes with a policy violation)."""

    def __init__(self, chats: ChatRepository, delivery_log: DeliveryLog) -> None:
        self._chats = chats
        self._log = delivery_log

    async def __call__(self, command: OpenChatSession) -> ChatSnapshot:
        if await self._chats.get(command.owner_id, command.chat_id) is None:
            raise NotFound("chat not found")
        return await self._log.snapshot(command.chat_id)
