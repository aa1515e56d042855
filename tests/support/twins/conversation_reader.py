from __future__ import annotations

import uuid

from application.ports.conversation_reader import Conversation
from tests.support.twins.background_store import BackgroundStore
from tests.support.twins.chat_context_repository import MemoryChatContextRepository
from tests.support.twins.chat_repository import MemoryChatRepository
from tests.support.twins.message_repository import MemoryMessageRepository
from tests.support.twins.store import MemorySession


class MemoryConversationReader:
    """The three reads the PostgreSQL adapter folds into one statement, made one after the other."""

    def __init__(self, session: MemorySession, background: BackgroundStore) -> None:
        self._chats = MemoryChatRepository(session)
        self._messages = MemoryMessageRepository(session)
        self._contexts = MemoryChatContextRepository(session, background)

    async def read(self, owner_id: uuid.UUID, chat_id: uuid.UUID, limit: int) -> Conversation | None:
        chat = await self._chats.get(owner_id, chat_id)
        if chat is None:
            return None
        newest = await self._messages.list(chat_id, before=None, limit=limit)
        return Conversation(chat=chat, newest=newest, context=await self._contexts.get(chat_id))
