from __future__ import annotations

import uuid

from application.commands import SetChatScope
from application.ports.chat_repository import ChatRepository
from application.ports.clock import Clock
from application.ports.document_repository import DocumentRepository
from application.ports.unit_of_work import UnitOfWork
from domain.chats import Chat
from domain.documents import DocumentScope, clean_tags
from domain.errors import InvalidInput, NotFound

MAX_SCOPE_DOCUMENTS = 500


class SetChatScopeHandler:
    """Limits a chat's answers to some of the owner's documents (by id and by tag); empty lists mean all.

    Raises ``NotFound`` (chat missing or foreign) and ``InvalidInput`` (a document id the owner does not have,
    too many documents, bad tags). A document deleted later simply drops out of the scope.
    """

    def __init__(self, chats: ChatRepository, documents: DocumentRepository, clock: Clock, uow: UnitOfWork) -> None:
        self._chats = chats
        self._documents = documents
        self._clock = clock
        self._uow = uow

    async def __call__(self, command: SetChatScope) -> Chat:
        chat = await self._chats.get(command.owner_id, command.chat_id)
        if chat is None:
            raise NotFound("chat not found")
        scope = await checked_scope(self._documents, command.owner_id, command.document_ids, command.tags)
        chat.limit_to(scope, self._clock.now())
        await self._chats.update(chat)
        await self._uow.commit()
        return chat


async def checked_scope(documents: DocumentRepository, owner_id: uuid.UUID, document_ids: list[uuid.UUID],
                        tags: list[str]) -> DocumentScope:
    """The scope these ids and tags name, once every id is one of the owner's documents. Raises ``InvalidInput``."""
    unique_ids = tuple(dict.fromkeys(document_ids))
    if len(unique_ids) > MAX_SCOPE_DOCUMENTS:
        raise InvalidInput(f"a chat can be limited to at most {MAX_SCOPE_DOCUMENTS} documents", field="scope")
    owned = {document.id for document in await documents.list(owner_id)}
    if unknown := [str(i) for i in unique_ids if i not in owned]:
        raise InvalidInput(f"no such document: {', '.join(unknown[:3])}", field="scope.document_ids")
    return DocumentScope(document_ids=unique_ids, tags=tuple(clean_tags(tags)))
