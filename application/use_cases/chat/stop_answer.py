from __future__ import annotations

from application.commands import StopAnswer
from application.ports.chat_repository import ChatRepository
from application.ports.stop_signals import StopSignals
from domain.errors import NotFound


class StopAnswerHandler:
    """Asks whichever process is answering in this chat to stop; the turn ends ``interrupted``."""

    def __init__(self, chats: ChatRepository, stops: StopSignals) -> None:
        self._chats = chats
        self._stops = stops

    async def __call__(self, command: StopAnswer) -> None:
        if await self._chats.get(command.owner_id, command.chat_id) is None:
            raise NotFound("chat not found")
        await self._stops.request_stop(command.chat_id)
