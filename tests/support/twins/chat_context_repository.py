from __future__ import annotations

import uuid

from domain.context import ChatContext
from tests.support.twins.background_store import BackgroundStore
from tests.support.twins.store import MemorySession, copied


class MemoryChatContextRepository:
    def __init__(self, session: MemorySession, background: BackgroundStore) -> None:
        self._session = session
        self._contexts = background.chat_contexts

    async def get(self, chat_id: uuid.UUID) -> ChatContext | None:
        if chat_id not in self._session.store.chats:  # as the cascade of a deleted chat would
            return None
        return copied(self._contexts.get(chat_id))

    async def save(self, context: ChatContext) -> None:
        if context.chat_id in self._session.store.chats:
            self._session.put(self._contexts, context.chat_id, context)
