"""The repositories of background work, same assertions on the in-memory twins and on PostgreSQL:
token usage (an upsert per message), the chat context, the sweeper's query and the per-chat job lock."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.chat_context_repository import PgChatContextRepository
from adapters.postgres.chat_job_lock import PgChatJobLock
from adapters.postgres.chat_repository import PgChatRepository
from adapters.postgres.document_repository import PgDocumentRepository
from adapters.postgres.engine import create_session_factory
from adapters.postgres.message_repository import PgMessageRepository
from adapters.postgres.stuck_work import PgStuckWork
from adapters.postgres.token_usage_repository import PgTokenUsageRepository
from adapters.postgres.unit_of_work import PgUnitOfWork
from adapters.postgres.user_repository import PgUserRepository
from application.ports.chat_context_repository import ChatContextRepository
from application.ports.chat_job_lock import ChatJobLock
from application.ports.chat_repository import ChatRepository
from application.ports.document_repository import DocumentRepository
from application.ports.message_repository import MessageRepository
from application.ports.stuck_work import StuckWork, WaitingDocument
from application.ports.token_usage_repository import TokenUsageRepository
from application.ports.unit_of_work import UnitOfWork
from application.ports.user_repository import UserRepository
from domain.chats import Chat
from domain.context import ChatContext
from domain.documents import DocumentStatus
from domain.messages import MessageStatus, Role
from domain.usage import TokenUsage, UsageTotals
from tests.contract.persistence import T0, at, new_chat, new_document, new_message, new_user
from tests.support.twins.background_store import BackgroundStore
from tests.support.twins.chat_context_repository import MemoryChatContextRepository
from tests.support.twins.chat_job_lock import MemoryChatJobLock
from tests.support.twins.chat_repository import MemoryChatRepository
from tests.support.twins.document_repository import MemoryDocumentRepository
from tests.support.twins.message_repository import MemoryMessageRepository
from tests.support.twins.store import MemorySession, MemoryStore
from tests.support.twins.stuck_work import MemoryStuckWork
from tests.support.twins.token_usage_repository import MemoryTokenUsageRepository
from tests.support.twins.unit_of_work import MemoryUnitOfWork
from tests.support.twins.user_repository import MemoryUserRepository


@dataclass(frozen=True)
class Request:
    users: UserRepository
    documents: DocumentRepository
    chats: ChatRepository
    messages: MessageRepository
    usage: TokenUsageRepository
    contexts: ChatContextRepository
    stuck: StuckWork
    lock: ChatJobLock
    uow: UnitOfWork


OpenRequest = Callable[[], AbstractAsyncContextManager[Request]]


def _memory() -> OpenRequest:
    store, background, lock = MemoryStore(), BackgroundStore(), MemoryChatJobLock()

    @asynccontextmanager
    async def open_request() -> AsyncIterator[Request]:
        s = MemorySession(store)
        try:
            yield Request(
                MemoryUserRepository(s),
                MemoryDocumentRepository(s),
                MemoryChatRepository(s),
                MemoryMessageRepository(s),
                MemoryTokenUsageRepository(s, background),
                MemoryChatContextRepository(s, background),
                MemoryStuckWork(s),
                lock,
                MemoryUnitOfWork(s),
            )
        finally:
            s.close()

    return open_request


def _postgres(engine: AsyncEngine) -> OpenRequest:
    sessions = create_session_factory(engine)

    @asynccontextmanager
    async def open_request() -> AsyncIterator[Request]:
        async with sessions() as s:
            yield Request(
                PgUserRepository(s),
                PgDocumentRepository(s),
                PgChatRepository(s),
                PgMessageRepository(s),
                PgTokenUsageRepository(s),
                PgChatContextRepository(s),
                PgStuckWork(s),
                PgChatJobLock(s),
                PgUnitOfWork(s),
            )

    return open_request


@pytest.fixture(params=["memory", "postgres"])
def open_request(request: pytest.FixtureRequest) -> OpenRequest:
    return _memory() if request.param == "memory" else _postgres(request.getfixturevalue("pg_engine"))


async def _chat(open_request: OpenRequest, owner: uuid.UUID | None = None, title: str = "A chat") -> Chat:
    async with open_request() as r:
        if owner is None:
            user = new_user()
            await r.users.add(user)
            owner = user.id
        chat = new_chat(owner, title=title)
        await r.chats.add(chat)
        await r.uow.commit()
    return chat


def _usage(
    chat: Chat, prompt: int, completion: int, message_id: uuid.UUID | None = None, estimated: bool = False
) -> TokenUsage:
    return TokenUsage(
        message_id=message_id or uuid.uuid4(),
        chat_id=chat.id,
        user_id=chat.owner_id,
        prompt_tokens=prompt,
        completion_tokens=completion,
        estimated=estimated,
    )


async def test_usage_of_a_message_recorded_twice_counts_once(open_request: OpenRequest) -> None:
    chat = await _chat(open_request, title="Budget")
    other = await _chat(open_request, chat.owner_id, title="Other")
    first = _usage(chat, 100, 20)
    async with open_request() as r:
        for usage in (first, first, _usage(chat, 10, 5, estimated=True), _usage(other, 1000, 1)):
            await r.usage.record(usage)
        await r.uow.commit()
    async with open_request() as r:
        await r.usage.record(first)  # a redelivered job
        await r.uow.commit()
    async with open_request() as r:
        assert await r.usage.totals(chat.owner_id) == UsageTotals(
            prompt_tokens=1110, completion_tokens=26, estimated_tokens=15
        )
        per_chat = await r.usage.per_chat(chat.owner_id)
    assert [(c.chat_id, c.title, c.totals) for c in per_chat] == [
        (other.id, "Other", UsageTotals(prompt_tokens=1000, completion_tokens=1)),
        (chat.id, "Budget", UsageTotals(prompt_tokens=110, completion_tokens=25, estimated_tokens=15)),
    ]


async def test_usage_is_per_user_uncommitted_usage_is_discarded_and_deleted_chats_leave_the_list(
    open_request: OpenRequest,
) -> None:
    chat = await _chat(open_request)
    stranger = await _chat(open_request)
    async with open_request() as r:
        await r.usage.record(_usage(chat, 7, 3))
        await r.usage.record(_usage(stranger, 50, 50))
        await r.uow.commit()
    async with open_request() as r:
        await r.usage.record(_usage(chat, 1000, 1000))  # never committed
    async with open_request() as r:
        await r.chats.delete(chat.owner_id, chat.id)
        await r.uow.commit()
    async with open_request() as r:
        assert await r.usage.totals(chat.owner_id) == UsageTotals(prompt_tokens=7, completion_tokens=3)
        assert await r.usage.per_chat(chat.owner_id) == []
        assert await r.usage.totals(uuid.uuid4()) == UsageTotals()


async def test_the_chat_context_is_saved_replaced_and_goes_with_its_chat(open_request: OpenRequest) -> None:
    chat = await _chat(open_request)
    async with open_request() as r:
        assert await r.contexts.get(chat.id) is None
        await r.contexts.save(ChatContext(chat_id=chat.id, summary="one", summarized_through=2, updated_at=at(1)))
        await r.uow.commit()
    later = ChatContext(chat_id=chat.id, summary="one\ntwo", summarized_through=4, updated_at=at(2))
    async with open_request() as r:
        await r.contexts.save(later)
        await r.uow.commit()
    async with open_request() as r:
        assert await r.contexts.get(chat.id) == later
        await r.chats.delete(chat.owner_id, chat.id)
        await r.uow.commit()
    async with open_request() as r:
        await r.contexts.save(later)  # a summary finishing after the chat was deleted
        await r.uow.commit()
        assert await r.contexts.get(chat.id) is None


async def test_the_sweeper_sees_only_old_unfinished_work(open_request: OpenRequest) -> None:
    chat = await _chat(open_request)
    owner = chat.owner_id
    old_pending, old_indexing, old_ready, fresh = (new_document(owner, created_at=at(s)) for s in (0, 1, 2, 500))
    old_indexing.status, old_ready.status = DocumentStatus.INDEXING, DocumentStatus.READY
    waiting = new_message(chat.id, "waiting", client_msg_id="w")
    waiting.status = MessageStatus.PENDING
    answered = new_message(chat.id, "answered", client_msg_id="a")
    reply = new_message(chat.id, "reply")
    reply.role, reply.status = Role.ASSISTANT, MessageStatus.PENDING
    async with open_request() as r:
        for document in (old_pending, old_indexing, old_ready, fresh):
            await r.documents.add(document)
        for message in (waiting, answered, reply):
            await r.messages.add(message)
        await r.uow.commit()
    async with open_request() as r:
        documents = await r.stuck.waiting_documents(at(100), limit=10)
        messages = await r.stuck.waiting_messages(at(100), limit=10)
        assert await r.stuck.waiting_documents(at(100), limit=1) == documents[:1]
        assert await r.stuck.waiting_messages(T0, limit=10) == []
    assert documents == [WaitingDocument(owner_id=owner, document_id=d.id) for d in (old_pending, old_indexing)]
    assert [(m.owner_id, m.chat_id, m.message_id, m.client_msg_id) for m in messages] == [
        (owner, chat.id, waiting.id, "w")
    ]


async def test_the_chat_job_lock_lets_one_holder_per_chat_in_at_a_time(open_request: OpenRequest) -> None:
    chat, other = await _chat(open_request), await _chat(open_request)
    events: list[str] = []
    first_in, release = asyncio.Event(), asyncio.Event()

    async def holder(name: str, chat_id: uuid.UUID, wait: asyncio.Event | None = None) -> None:
        async with open_request() as r, r.lock.hold(chat_id):
            events.append(f"{name} in")
            if wait is not None:
                first_in.set()
                await wait.wait()
            events.append(f"{name} out")
            await r.uow.commit()

    first = asyncio.create_task(holder("first", chat.id, release))
    await first_in.wait()
    second = asyncio.create_task(holder("second", chat.id))
    await holder("elsewhere", other.id)  # another chat is not blocked
    await asyncio.sleep(0.2)  # room for the second holder to (wrongly) get in
    release.set()
    await asyncio.gather(first, second)
    assert events == ["first in", "elsewhere in", "elsewhere out", "first out", "second in", "second out"]
