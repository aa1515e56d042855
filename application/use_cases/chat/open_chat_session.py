from __future__ import annotations

from application.commands import OpenChatSession
from application.ports.chat_repository import ChatRepository
from application.ports.delivery_log import DeliveryLog
from application.ports.unit_of_work import UnitOfWork
from domain.errors import NotFound
from domain.snapshots import ChatSnapshot


class OpenChatSessionHandler:
    """Raises ``NotFound`` for a missing or foreign chat (the socket then closes with a policy violation)."""

    def __init__(self, chats: ChatRepository, delivery_log: DeliveryLog, uow: UnitOfWork) -> None:
        self._uow = uow
        self._chats = chats
        self._log = delivery_log

    async def __call__(self, command: OpenChatSession) -> ChatSnapshot:
        if await self._chats.get(command.owner_id, command.chat_id) is None:
            raise NotFound("chat not found")
        await self._uow.commit()  # read only: the connection goes back to the pool before the log is read
        return await self._log.snapshot(command.chat_id)
