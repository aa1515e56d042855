"""Wiring of the in-memory twins: the persistence, background-work and chunk-index ports on one ``MemoryStore``
per container, which plays the database in unit tests."""

from __future__ import annotations

from collections.abc import Iterator

from dishka import Provider, Scope, provide

from application.ports.blob_store import BlobStore
from application.ports.chat_context_repository import ChatContextRepository
from application.ports.chat_job_lock import ChatJobLock
from application.ports.chat_repository import ChatRepository
from application.ports.chunk_index import ChunkIndex
from application.ports.conversation_reader import ConversationReader
from application.ports.document_repository import DocumentRepository
from application.ports.invitation_repository import InvitationRepository
from application.ports.message_repository import MessageRepository
from application.ports.refresh_token_repository import RefreshTokenRepository
from application.ports.search_index_builds import SearchIndexBuilds
from application.ports.stuck_work import StuckWork
from application.ports.token_usage_repository import TokenUsageRepository
from application.ports.unit_of_work import UnitOfWork
from application.ports.user_repository import UserRepository
from entrypoints.ioc.persistence import DatabaseGauges, DatabasePing
from entrypoints.settings import Settings
from entrypoints.vector_schema import VectorSchemaCheck
from tests.support.twins.background_store import BackgroundStore
from tests.support.twins.blob_store import MemoryBlobStore
from tests.support.twins.chat_context_repository import MemoryChatContextRepository
from tests.support.twins.chat_job_lock import MemoryChatJobLock
from tests.support.twins.chat_repository import MemoryChatRepository
from tests.support.twins.chunk_index import MemoryChunkIndex
from tests.support.twins.conversation_reader import MemoryConversationReader
from tests.support.twins.document_repository import MemoryDocumentRepository
from tests.support.twins.invitation_repository import MemoryInvitationRepository
from tests.support.twins.message_repository import MemoryMessageRepository
from tests.support.twins.refresh_token_repository import MemoryRefreshTokenRepository
from tests.support.twins.search_index_builds import MemorySearchIndexBuilds
from tests.support.twins.store import MemorySession, MemoryStore
from tests.support.twins.stuck_work import MemoryStuckWork
from tests.support.twins.token_usage_repository import MemoryTokenUsageRepository
from tests.support.twins.unit_of_work import MemoryUnitOfWork
from tests.support.twins.user_repository import MemoryUserRepository


class MemoryPersistenceProvider(Provider):
    """Unit tests: the same ports on dicts; one ``MemoryStore`` per container plays the database."""

    store = provide(MemoryStore, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def ping(self) -> DatabasePing:
        return DatabasePing(None)

    @provide(scope=Scope.APP)
    def gauges(self) -> DatabaseGauges:
        return DatabaseGauges(None)

    @provide(scope=Scope.APP)
    def vector_schema(self, settings: Settings) -> VectorSchemaCheck:
        return VectorSchemaCheck(None, settings)

    @provide(scope=Scope.APP)
    def blobs(self) -> BlobStore:
        return MemoryBlobStore()

    @provide(scope=Scope.REQUEST)
    def session(self, store: MemoryStore) -> Iterator[MemorySession]:
        session = MemorySession(store)
        yield session
        session.close()

    users = provide(MemoryUserRepository, provides=UserRepository, scope=Scope.REQUEST)
    invitations = provide(MemoryInvitationRepository, provides=InvitationRepository, scope=Scope.REQUEST)
    refresh_tokens = provide(MemoryRefreshTokenRepository, provides=RefreshTokenRepository, scope=Scope.REQUEST)
    documents = provide(MemoryDocumentRepository, provides=DocumentRepository, scope=Scope.REQUEST)
    chats = provide(MemoryChatRepository, provides=ChatRepository, scope=Scope.REQUEST)
    messages = provide(MemoryMessageRepository, provides=MessageRepository, scope=Scope.REQUEST)
    uow = provide(MemoryUnitOfWork, provides=UnitOfWork, scope=Scope.REQUEST)
    index_builds = provide(MemorySearchIndexBuilds, provides=SearchIndexBuilds, scope=Scope.APP)


class MemoryBackgroundWorkProvider(Provider):
    """With ``MemoryPersistenceProvider``: the same ports on the in-memory store and session."""

    background = provide(BackgroundStore, scope=Scope.APP)
    lock = provide(MemoryChatJobLock, provides=ChatJobLock, scope=Scope.APP)
    usage = provide(MemoryTokenUsageRepository, provides=TokenUsageRepository, scope=Scope.REQUEST)
    contexts = provide(MemoryChatContextRepository, provides=ChatContextRepository, scope=Scope.REQUEST)
    conversations = provide(MemoryConversationReader, provides=ConversationReader, scope=Scope.REQUEST)
    stuck = provide(MemoryStuckWork, provides=StuckWork, scope=Scope.REQUEST)


class MemoryChunkIndexProvider(Provider):
    """With ``MemoryPersistenceProvider``: the chunk index on the same in-memory store and session."""

    @provide(scope=Scope.REQUEST)
    def chunk_index(self, session: MemorySession) -> ChunkIndex:
        return MemoryChunkIndex(session)
