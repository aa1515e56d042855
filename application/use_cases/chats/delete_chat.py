from __future__ import annotations

from application.commands import DeleteChat
from application.ports.chat_repository import ChatRepository
from application.ports.delivery_log import DeliveryLog
from application.ports.unit_of_work import UnitOfWork
from domain.errors import NotFound


class DeleteChatHandler:
    """Deletes a chat with its messages. Raises ``NotFound`` (missing or foreign)."""

    def __init__(self, chats: ChatRepository, delivery_log: DeliveryLog, uow: UnitOfWork) -> None:
        self._chats = chats
        self._log = delivery_log
        self._uow = uow

    async def __call__(self, command: DeleteChat) -> None:
        if not await self._chats.delete(command.owner_id, command.chat_id):
            raise NotFound("chat not found")
        await self._uow.commit()
        await self._log.discard(command.chat_id)
