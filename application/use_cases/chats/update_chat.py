from __future__ import annotations

from application.chat.frame_emitter import FrameEmitter
from application.commands import UpdateChat
from application.frames import StageChangedFrame, TitleChangedFrame
from application.ports.chat_repository import ChatRepository
from application.ports.clock import Clock
from application.ports.document_repository import DocumentRepository
from application.ports.model_catalog import ModelCatalog
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.chats.configure_chat import ensure_model_listed
from application.use_cases.chats.set_chat_scope import checked_scope
from domain.chats import Chat
from domain.errors import InvalidInput, NotFound


class UpdateChatHandler:
    """Several changes to one chat (``PATCH /chats/{id}``): all of them or none, in one commit. The rules are
    those of the single changes (``RenameChat``, ``SetChatStage``, ``SetChatScope``, ``ConfigureChat``,
    ``PinChat``); after the commit, open sockets hear ``title_changed`` and ``stage_changed`` as those send them.

    Raises ``NotFound`` (chat missing or foreign) and ``InvalidInput`` (nothing to change, or a change refused).
    """

    def __init__(self, chats: ChatRepository, documents: DocumentRepository, catalog: ModelCatalog, clock: Clock,
                 uow: UnitOfWork, frames: FrameEmitter) -> None:
        self._chats = chats
        self._documents = documents
        self._catalog = catalog
        self._clock = clock
        self._uow = uow
        self._frames = frames

    async def __call__(self, command: UpdateChat) -> Chat:
        if command.title is None and command.stage is None and command.scope is None and command.settings is None \
                and command.pinned is None:
            raise InvalidInput("send a title, a stage, a scope, settings, pinned, or several")
        chat = await self._chats.get(command.owner_id, command.chat_id)
        if chat is None:
            raise NotFound("chat not found")
        now = self._clock.now()
        if command.title is not None:
            chat.rename(command.title, now)
        stage_changed = command.stage is not None and chat.change_stage(command.stage, now)
        if command.scope is not None:
            scope = command.scope
            chat.limit_to(await checked_scope(self._documents, chat.owner_id, scope.document_ids, scope.tags), now)
        if command.settings is not None:
            chat.configure(command.settings, now)
            await ensure_model_listed(self._catalog, chat)
        if command.pinned is not None:
            chat.pin(command.pinned)
        await self._chats.update(chat)
        await self._uow.commit()
        if command.title is not None:
            await self._frames.emit(chat.id, TitleChangedFrame(title=chat.title))
        if stage_changed:
            await self._frames.emit(chat.id, StageChangedFrame(stage=chat.stage))
        return chat
