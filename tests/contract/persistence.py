"""Shared by the persistence contract tests: one request's repositories on either backend, and builders.

``open_request()`` opens what one HTTP request gets from dishka: one session, six repositories over it and
the unit of work that commits it. Leaving the block closes the session; anything not committed is discarded.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.chat_repository import PgChatRepository
from adapters.postgres.document_repository import PgDocumentRepository
from adapters.postgres.engine import create_session_factory
from adapters.postgres.invitation_repository import PgInvitationRepository
from adapters.postgres.message_repository import PgMessageRepository
from adapters.postgres.refresh_token_repository import PgRefreshTokenRepository
from adapters.postgres.unit_of_work import PgUnitOfWork
from adapters.postgres.user_repository import PgUserRepository
from application.ports.chat_repository import ChatRepository
from application.ports.document_repository import DocumentRepository
from application.ports.invitation_repository import InvitationRepository
from application.ports.message_repository import MessageRepository
from application.ports.refresh_token_repository import RefreshTokenRepository
from application.ports.unit_of_work import UnitOfWork
from application.ports.user_repository import UserRepository
from domain.chats import Chat
from domain.documents import Document, DocumentStatus
from domain.messages import ChatMessage, Role
from domain.stages import Stage
from domain.users import User
from tests.support.twins.chat_repository import MemoryChatRepository
from tests.support.twins.document_repository import MemoryDocumentRepository
from tests.support.twins.invitation_repository import MemoryInvitationRepository
from tests.support.twins.message_repository import MemoryMessageRepository
from tests.support.twins.refresh_token_repository import MemoryRefreshTokenRepository
from tests.support.twins.store import MemorySession, MemoryStore
from tests.support.twins.unit_of_work import MemoryUnitOfWork
from tests.support.twins.user_repository import MemoryUserRepository

T0 = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@dataclass(frozen=True)
class Request:
    users: UserRepository
    refresh_tokens: RefreshTokenRepository
    documents: DocumentRepository
    chats: ChatRepository
    messages: MessageRepository
    uow: UnitOfWork
    invitations: InvitationRepository


OpenRequest = Callable[[], AbstractAsyncContextManager[Request]]


def memory_backend() -> OpenRequest:
    store = MemoryStore()

    @asynccontextmanager
    async def open_request() -> AsyncIterator[Request]:
        session = MemorySession(store)
        try:
            yield Request(
                users=MemoryUserRepository(session),
                refresh_tokens=MemoryRefreshTokenRepository(session),
                documents=MemoryDocumentRepository(session),
                chats=MemoryChatRepository(session),
                messages=MemoryMessageRepository(session),
                uow=MemoryUnitOfWork(session),
                invitations=MemoryInvitationRepository(session),
            )
        finally:
            session.close()

    return open_request


def postgres_backend(engine: AsyncEngine) -> OpenRequest:
    sessions = create_session_factory(engine)

    @asynccontextmanager
    async def open_request() -> AsyncIterator[Request]:
        async with sessions() as session:
            yield Request(
                users=PgUserRepository(session),
                refresh_tokens=PgRefreshTokenRepository(session),
                documents=PgDocumentRepository(session),
                chats=PgChatRepository(session),
                messages=PgMessageRepository(session),
                uow=PgUnitOfWork(session),
                invitations=PgInvitationRepository(session),
            )

    return open_request


# --- builders: valid entities with overridable fields ------------------------------------------------------


def new_user(email: str | None = None) -> User:
    user_id = uuid.uuid4()
    return User(id=user_id, email=email or f"{user_id.hex[:8]}@example.com", password_hash="h", created_at=T0)


def new_document(owner_id: uuid.UUID, created_at: datetime = T0, filename: str = "notes.md") -> Document:
    return Document(
        id=uuid.uuid4(),
        owner_id=owner_id,
        filename=filename,
        content_type="text/markdown",
        size_bytes=1234,
        sha256="ab" * 32,
        blob_key=f"{owner_id}/{uuid.uuid4()}",
        status=DocumentStatus.PENDING,
        created_at=created_at,
        updated_at=created_at,
    )


def new_chat(owner_id: uuid.UUID, updated_at: datetime = T0, title: str = "A chat") -> Chat:
    return Chat(
        id=uuid.uuid4(),
        owner_id=owner_id,
        title=title,
        stage=Stage.ANSWERING,
        created_at=T0,
        updated_at=updated_at,
    )


def new_message(chat_id: uuid.UUID, content: str = "hello", client_msg_id: str | None = None) -> ChatMessage:
    return ChatMessage(
        id=uuid.uuid4(),
        chat_id=chat_id,
        role=Role.USER,
        content=content,
        created_at=T0,
        client_msg_id=client_msg_id,
    )


async def seed_user(open_request: OpenRequest, email: str | None = None) -> User:
    async with open_request() as r:
        user = new_user(email)
        await r.users.add(user)
        await r.uow.commit()
    return user


async def seed_chat(open_request: OpenRequest, owner_id: uuid.UUID | None = None) -> Chat:
    """A committed chat (and, unless given, a committed owner for it)."""
    owner = owner_id or (await seed_user(open_request)).id
    async with open_request() as r:
        chat = new_chat(owner)
        await r.chats.add(chat)
        await r.uow.commit()
    return chat
