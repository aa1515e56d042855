"""What the stage manager reads before a turn (the chat, its newest visible messages, its context), read together:
the same assertions on the in-memory twin and on PostgreSQL's one statement."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass

import msgspec
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.chat_context_repository import PgChatContextRepository
from adapters.postgres.chat_repository import PgChatRepository
from adapters.postgres.conversation_reader import PgConversationReader
from adapters.postgres.engine import create_session_factory
from adapters.postgres.message_repository import PgMessageRepository
from adapters.postgres.unit_of_work import PgUnitOfWork
from adapters.postgres.user_repository import PgUserRepository
from application.ports.chat_context_repository import ChatContextRepository
from application.ports.chat_repository import ChatRepository
from application.ports.conversation_reader import ConversationReader
from application.ports.message_repository import MessageRepository
from application.ports.unit_of_work import UnitOfWork
from application.ports.user_repository import UserRepository
from domain.chats import Chat
from domain.context import ChatContext
from domain.messages import ChatMessage, Citation, MessageStatus, Role, TurnFailure
from tests.contract.persistence import at, new_chat, new_message, new_user
from tests.support.twins.background_store import BackgroundStore
from tests.support.twins.chat_context_repository import MemoryChatContextRepository
from tests.support.twins.chat_repository import MemoryChatRepository
from tests.support.twins.conversation_reader import MemoryConversationReader
from tests.support.twins.message_repository import MemoryMessageRepository
from tests.support.twins.store import MemorySession, MemoryStore
from tests.support.twins.unit_of_work import MemoryUnitOfWork
from tests.support.twins.user_repository import MemoryUserRepository


@dataclass(frozen=True)
class Request:
    users: UserRepository
    chats: ChatRepository
    messages: MessageRepository
    contexts: ChatContextRepository
    conversations: ConversationReader
    uow: UnitOfWork


OpenRequest = Callable[[], AbstractAsyncContextManager[Request]]


def _memory() -> OpenRequest:
    store, background = MemoryStore(), BackgroundStore()

    @asynccontextmanager
    async def open_request() -> AsyncIterator[Request]:
        s = MemorySession(store)
        try:
            yield Request(MemoryUserRepository(s), MemoryChatRepository(s), MemoryMessageRepository(s),
                          MemoryChatContextRepository(s, background), MemoryConversationReader(s, background),
                          MemoryUnitOfWork(s))  # fmt: skip
        finally:
            s.close()

    return open_request


def _postgres(engine: AsyncEngine) -> OpenRequest:
    sessions = create_session_factory(engine)

    @asynccontextmanager
    async def open_request() -> AsyncIterator[Request]:
        async with sessions() as s:
            yield Request(PgUserRepository(s), PgChatRepository(s), PgMessageRepository(s),
                          PgChatContextRepository(s), PgConversationReader(s), PgUnitOfWork(s))  # fmt: skip

    return open_request


@pytest.fixture(params=["memory", "postgres"])
def open_request(request: pytest.FixtureRequest) -> OpenRequest:
    return _memory() if request.param == "memory" else _postgres(request.getfixturevalue("pg_engine"))


async def _chat(open_request: OpenRequest) -> Chat:
    async with open_request() as r:
        user = new_user()
        await r.users.add(user)
        chat = new_chat(user.id)
        await r.chats.add(chat)
        await r.uow.commit()
    return chat


def _answer(question: ChatMessage, text: str) -> ChatMessage:
    return msgspec.structs.replace(
        new_message(question.chat_id, text), role=Role.ASSISTANT, reply_to=question.id, status=MessageStatus.COMPLETE,
        citations=[Citation(n=1, chunk_id=uuid.uuid4(), document_id=uuid.uuid4(), filename="a.md", text="q", page=2)],
        prompt_tokens=12, completion_tokens=3,
    )  # fmt: skip


async def test_a_new_chat_reads_with_no_messages_and_no_context(open_request: OpenRequest) -> None:
    chat = await _chat(open_request)

    async with open_request() as r:
        conversation = await r.conversations.read(chat.owner_id, chat.id, 50)

    assert conversation is not None
    assert (conversation.chat, conversation.newest, conversation.context) == (chat, [], None)


async def test_a_missing_or_foreign_chat_reads_as_none(open_request: OpenRequest) -> None:
    chat = await _chat(open_request)

    async with open_request() as r:
        assert await r.conversations.read(uuid.uuid4(), chat.id, 50) is None
        assert await r.conversations.read(chat.owner_id, uuid.uuid4(), 50) is None


async def test_the_newest_visible_messages_and_the_context_read_as_each_repository_reads_them(
    open_request: OpenRequest,
) -> None:
    chat = await _chat(open_request)
    async with open_request() as r:
        q1 = await r.messages.add(new_message(chat.id, "first", "c1"))
        await r.messages.add(_answer(q1, "answer one [1]"))
        q2 = await r.messages.add(new_message(chat.id, "second", "c2"))
        failed = msgspec.structs.replace(
            new_message(chat.id, "third", "c3"),
            status=MessageStatus.INTERRUPTED,
            error=TurnFailure(code="model_unavailable", message="down", retryable=True),
        )
        await r.messages.add(failed)
        edit = await r.messages.add(
            msgspec.structs.replace(new_message(chat.id, "second, edited", "e1"), replaces=q2.id)
        )
        await r.messages.supersede(edit)  # q2 and "third" are no longer visible
        await r.contexts.save(ChatContext(chat_id=chat.id, summary="They said hello.", summarized_through=2,
                                          updated_at=at(30)))  # fmt: skip
        await r.uow.commit()

    for limit in (1, 2, 3, 50):
        async with open_request() as r:
            await r.uow.reads_only()
            conversation = await r.conversations.read(chat.owner_id, chat.id, limit)
            newest = await r.messages.list(chat.id, before=None, limit=limit)
            context = await r.contexts.get(chat.id)
            stored = await r.chats.get(chat.owner_id, chat.id)
            await r.uow.commit()
        assert conversation is not None
        assert conversation.newest == newest
        assert [m.content for m in conversation.newest] == ["first", "answer one [1]", "second, edited"][-limit:]
        assert conversation.context == context
        assert context is not None and context.summary == "They said hello."
        assert conversation.chat == stored
