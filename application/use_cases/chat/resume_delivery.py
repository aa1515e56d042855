from __future__ import annotations

from application.commands import CatchUpDelivery, ResumeDelivery
from application.ports.chat_repository import ChatRepository
from application.ports.delivery_log import DeliveryLog, Replay
from application.ports.unit_of_work import UnitOfWork
from domain.errors import NotFound


class ResumeDeliveryHandler:
    """The frames a reconnecting client missed (after ``after_seq``), or why it cannot have them (gap, lost
    log, seq from the future) so the socket can tell it to reload history. Raises ``NotFound``."""

    def __init__(self, chats: ChatRepository, delivery_log: DeliveryLog, uow: UnitOfWork) -> None:
        self._uow = uow
        self._chats = chats
        self._log = delivery_log

    async def __call__(self, command: ResumeDelivery) -> Replay:
        if await self._chats.get(command.owner_id, command.chat_id) is None:
            raise NotFound("chat not found")
        await self._uow.commit()  # read only: the connection goes back to the pool before the log is read
        return await self._log.after(command.chat_id, command.after_seq, command.epoch)


class CatchUpDeliveryHandler:
    """A connected socket's read of the delivery log: no database work (ownership was checked at connect)."""

    def __init__(self, delivery_log: DeliveryLog) -> None:
        self._log = delivery_log

    async def __call__(self, command: CatchUpDelivery) -> Replay:
        return await self._log.after(command.chat_id, command.after_seq, None)
