from __future__ import annotations

from application.chat.frame_emitter import FrameEmitter
from application.commands import RenameChat
from application.frames import TitleChangedFrame
from application.ports.chat_repository import ChatRepository
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from domain.chats import Chat
from domain.errors import NotFound


class RenameChatHandler:
    """The user's title, which a generated one never replaces; open sockets of the chat hear ``title_changed``.
    Raises ``NotFound`` (missing or foreign) and ``InvalidInput`` (blank / too long title)."""

    def __init__(self, chats: ChatRepository, clock: Clock, uow: UnitOfWork, frames: FrameEmitter) -> None:
        self._frames = frames
        self._chats = chats
        self._clock = clock
        self._uow = uow

    async def __call__(self, command: RenameChat) -> Chat:
        chat = await self._chats.get(command.owner_id, command.chat_id)
        if chat is None:
            raise NotFound("chat not found")
        chat.rename(command.title, self._clock.now())
        await self._chats.update(chat)
        await self._uow.commit()
        await self._frames.emit(chat.id, TitleChangedFrame(title=chat.title))
        return chat
