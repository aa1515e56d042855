from __future__ import annotations

import uuid

from application.ports.token_usage_repository import ChatUsage
from domain.usage import TokenUsage, UsageTotals
from tests.support.twins.background_store import BackgroundStore
from tests.support.twins.store import MemorySession


def _sum(usages: list[TokenUsage]) -> UsageTotals:
    return UsageTotals(prompt_tokens=sum(u.prompt_tokens for u in usages),
                       completion_tokens=sum(u.completion_tokens for u in usages),
                       estimated_tokens=sum(u.total_tokens for u in usages if u.estimated))


class MemoryTokenUsageRepository:
    def __init__(self, session: MemorySession, background: BackgroundStore) -> None:
        self._session = session
        self._usage = background.token_usage

    async def record(self, usage: TokenUsage) -> None:
        self._session.put(self._usage, usage.message_id, usage)

    async def totals(self, user_id: uuid.UUID) -> UsageTotals:
        return _sum([u for u in self._usage.values() if u.user_id == user_id])

    async def per_chat(self, user_id: uuid.UUID) -> list[ChatUsage]:
        by_chat: dict[uuid.UUID, list[TokenUsage]] = {}
        for usage in self._usage.values():
            if usage.user_id == user_id:
                by_chat.setdefault(usage.chat_id, []).append(usage)
        chats = self._session.store.chats
        found = [
            ChatUsage(chat_id=chat_id, title=chats[chat_id].title, totals=_sum(usages))
            for chat_id, usages in by_chat.items()
            if chat_id in chats and chats[chat_id].owner_id == user_id
        ]
        return sorted(found, key=lambda c: (-c.totals.total_tokens, str(c.chat_id)))

    async def forget_user(self, user_id: uuid.UUID) -> None:
        for usage in [u for u in self._usage.values() if u.user_id == user_id]:
            self._session.remove(self._usage, usage.message_id)
