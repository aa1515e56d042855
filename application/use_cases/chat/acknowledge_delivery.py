from __future__ import annotations

from application.commands import AcknowledgeDelivery
from application.ports.chat_repository import ChatRepository
from application.ports.delivery_log import DeliveryLog
from domain.errors import NotFound
from domain.snapshots import ChatSnapshot


class AcknowledgeDeliveryHandler:
    """Trims what the client confirmed. Raises ``NotFound`` and ``SeqAhead`` (a seq never sent)."""

    def __init__(self, chats: ChatRepository, delivery_log: DeliveryLog) -> None:
        self._chats = chats
        self._log = delivery_log

    async def __call__(self, command: AcknowledgeDelivery) -> ChatSnapshot:
        if await self._chats.get(command.owner_id, command.chat_id) is None:
            raise NotFound("chat not found")
        return await self._log.ack(command.chat_id, command.seq)
