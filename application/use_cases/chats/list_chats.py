from __future__ import annotations

from application.commands import ListChats
from application.ports.chat_repository import ChatRepository
from domain.chats import Chat, clean_search_query

MAX_SEARCH_RESULTS = 50


class ListChatsHandler:
    """The owner's chats, pinned first. A search (title or any message, ignoring case) returns at most
    ``MAX_SEARCH_RESULTS`` chats, so a common word costs the same however many chats match. Raises
    ``InvalidInput`` (a search over 200 characters, or with control characters)."""

    def __init__(self, chats: ChatRepository) -> None:
        self._chats = chats

    async def __call__(self, command: ListChats) -> list[Chat]:
        query = None if command.query is None else clean_search_query(command.query)
        if query is None:
            return await self._chats.list(command.owner_id)
        return await self._chats.search(command.owner_id, query, MAX_SEARCH_RESULTS)
