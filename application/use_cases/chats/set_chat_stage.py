from __future__ import annotations

from application.chat.frame_emitter import FrameEmitter
from application.commands import SetChatStage
from application.frames import StageChangedFrame
from application.ports.chat_repository import ChatRepository
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from domain.chats import Chat
from domain.errors import NotFound


class SetChatStageHandler:
    """Switches a chat between ``answering`` and ``test``. Raises ``NotFound`` (missing or foreign).

    The change applies to the next message taken from the inbox; a turn already streaming finishes as begun.
    Open sockets of the chat hear about it through a ``stage_changed`` frame, whichever way it was changed.
    """

    def __init__(self, chats: ChatRepository, frames: FrameEmitter, clock: Clock, uow: UnitOfWork) -> None:
        self._chats = chats
        self._frames = frames
        self._clock = clock
        self._uow = uow

    async def __call__(self, command: SetChatStage) -> Chat:
        chat = await self._chats.get(command.owner_id, command.chat_id)
        if chat is None:
            raise NotFound("chat not found")
        if chat.change_stage(command.stage, self._clock.now()):
            await self._chats.update(chat)
            await self._uow.commit()
            await self._frames.emit(chat.id, StageChangedFrame(stage=chat.stage))
        return chat
