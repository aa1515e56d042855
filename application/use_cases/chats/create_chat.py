from __future__ import annotations

import uuid

from application.commands import CreateChat
from application.ports.chat_repository import ChatRepository
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from domain.chats import DEFAULT_TITLE, Chat, clean_title


class CreateChatHandler:
    """Raises ``InvalidInput`` for a blank or too long title."""

    def __init__(self, chats: ChatRepository, clock: Clock, uow: UnitOfWork) -> None:
        self._chats = chats
        self._clock = clock
        self._uow = uow

    async def __call__(self, command: CreateChat) -> Chat:
        now = self._clock.now()
        chat = Chat(
            id=uuid.uuid4(),
            owner_id=command.owner_id,
            title=clean_title(command.title) if command.title is not None else DEFAULT_TITLE,
            stage=command.stage,
            created_at=now,
            updated_at=now,
            titled_by_user=command.title is not None,
        )
        await self._chats.add(chat)
        await self._uow.commit()
        return chat
