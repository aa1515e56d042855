from __future__ import annotations

import msgspec

from application.commands import GetChat
from application.ports.chat_repository import ChatRepository
from application.ports.message_repository import MessageRepository
from domain.chats import Chat
from domain.errors import InvalidInput, NotFound
from domain.messages import ChatMessage

MAX_PAGE = 200


class ChatHistory(msgspec.Struct, frozen=True, kw_only=True):
    chat: Chat
    messages: list[ChatMessage]
    """Oldest first."""
    next_before: int | None
    """Pass as ``before`` to get the page of older messages; None when this page reaches the start."""


class GetChatHandler:
    """A chat with one page of its history. Raises ``NotFound`` (missing or foreign) and ``InvalidInput``."""

    def __init__(self, chats: ChatRepository, messages: MessageRepository) -> None:
        self._chats = chats
        self._messages = messages

    async def __call__(self, command: GetChat) -> ChatHistory:
        if not 1 <= command.limit <= MAX_PAGE:
            raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}", field="limit")
        chat = await self._chats.get(command.owner_id, command.chat_id)
        if chat is None:
            raise NotFound("chat not found")
        page = await self._messages.list(chat.id, before=command.before, limit=command.limit + 1)
        has_more = len(page) > command.limit
        page = page[-command.limit :] if has_more else page
        return ChatHistory(chat=chat, messages=page, next_before=page[0].position if has_more else None)
