from __future__ import annotations

from application.chat.frame_emitter import FrameEmitter
from application.commands import TitleChat
from application.frames import TitleChangedFrame
from application.ports.chat_repository import ChatRepository
from application.ports.chat_titler import ChatTitler
from application.ports.message_repository import MessageRepository
from application.ports.unit_of_work import UnitOfWork
from domain.chats import MAX_TITLE_LENGTH


class TitleChatHandler:
    """Names a new chat after its first question, in the background so the answer never waits for it: the
    model writes a short title when one is configured, else the question is cut cleanly. The user's own title
    always wins (checked again in the write itself). Open sockets of the chat hear ``title_changed``.

    Idempotent: a re-run writes the same kind of title again. Raises ``ServiceUnavailable`` when the model
    cannot serve (the job is retried) and ``StorageUnavailable``.
    """

    def __init__(
        self,
        chats: ChatRepository,
        messages: MessageRepository,
        titler: ChatTitler,
        frames: FrameEmitter,
        uow: UnitOfWork,
    ) -> None:
        self._chats = chats
        self._messages = messages
        self._titler = titler
        self._frames = frames
        self._uow = uow

    async def __call__(self, command: TitleChat) -> str | None:
        chat = await self._chats.get(command.owner_id, command.chat_id)
        question = await self._messages.get(command.chat_id, command.message_id)
        await self._uow.rollback()  # nothing written yet: hold no transaction while the model writes
        if chat is None or question is None or chat.titled_by_user:
            return None
        title = " ".join((await self._titler.title(question.content)).split())[:MAX_TITLE_LENGTH]
        if not title or not await self._chats.set_generated_title(command.owner_id, command.chat_id, title):
            return None
        await self._uow.commit()
        await self._frames.emit(command.chat_id, TitleChangedFrame(title=title))
        return title
