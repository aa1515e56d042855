"""Where data lives: PostgreSQL (embedded or external) or, for unit tests, the in-memory twins."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from adapters.blobs.local_disk_blob_store import LocalDiskBlobStore
from adapters.postgres.backlog import Backlog, read_backlog
from adapters.postgres.chat_repository import PgChatRepository
from adapters.postgres.document_repository import PgDocumentRepository
from adapters.postgres.embedded import EmbeddedPostgres
from adapters.postgres.engine import create_engine, create_session_factory
from adapters.postgres.invitation_repository import PgInvitationRepository
from adapters.postgres.message_repository import PgMessageRepository
from adapters.postgres.migrate import run_migrations
from adapters.postgres.pool_stats import pool_stats
from adapters.postgres.refresh_token_repository import PgRefreshTokenRepository
from adapters.postgres.search_index_builds import PgSearchIndexBuilds, restore_vector_index
from adapters.postgres.side_connections import SideConnections
from adapters.postgres.unit_of_work import PgUnitOfWork
from adapters.postgres.user_repository import PgUserRepository
from application.ports.blob_store import BlobStore
from application.ports.chat_repository import ChatRepository
from application.ports.document_repository import DocumentRepository
from application.ports.invitation_repository import InvitationRepository
from application.ports.message_repository import MessageRepository
from application.ports.refresh_token_repository import RefreshTokenRepository
from application.ports.search_index_builds import SearchIndexBuilds
from application.ports.unit_of_work import UnitOfWork
from application.ports.user_repository import UserRepository
from entrypoints.settings import Settings
from entrypoints.vector_schema import VectorSchemaCheck


class DatabasePing:
    """What `/ready` asks of the database, whichever database it is."""

    def __init__(self, engine: AsyncEngine | None) -> None:
        self._engine = engine

    async def ping(self) -> str:
        if self._engine is None:
            return "in-memory"
        async with self._engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return "ok"


class DatabaseGauges:
    """What `/metrics` shows of the database: the pool's usage and the work waiting in it."""

    def __init__(self, engine: AsyncEngine | None) -> None:
        self._engine = engine

    def pool(self) -> dict[str, int]:
        return {} if self._engine is None else pool_stats(self._engine)

    async def backlog(self) -> Backlog | None:
        return None if self._engine is None else await read_backlog(self._engine)


def embedded_tuning(settings: Settings) -> dict[str, str]:
    return {
        "shared_buffers": settings.embedded_shared_buffers,
        "work_mem": settings.embedded_work_mem,
        "maintenance_work_mem": settings.embedded_maintenance_work_mem,
        "effective_cache_size": settings.embedded_effective_cache_size,
    }


def migration_attributes(settings: Settings) -> dict[str, object]:
    return {
        "embedding_dimension": settings.embedding_dimension,
        "hnsw_m": settings.hnsw_m,
        "hnsw_ef_construction": settings.hnsw_ef_construction,
    }


class PostgresProvider(Provider):
    @provide(scope=Scope.APP)
    async def engine(self, settings: Settings) -> AsyncIterator[AsyncEngine]:
        """Embedded mode starts the bundled server and migrates on every start; with DATABASE_URL the
        operator runs ``ragchat migrate`` (but a fresh database is migrated here too, so one command works)."""
        embedded = None
        if settings.database_url is None:
            embedded = EmbeddedPostgres(settings.data_path / "postgres", tuning=embedded_tuning(settings))
            url = await asyncio.to_thread(embedded.start)
        else:
            url = settings.database_url
        try:
            await run_migrations(url, attributes=migration_attributes(settings))
            engine = create_engine(url, pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow,
                                   pool_timeout=settings.db_pool_timeout_seconds,
                                   hnsw_ef_search=settings.hnsw_ef_search,
                                   hnsw_max_scan_tuples=settings.hnsw_max_scan_tuples,
                                   synchronous_commit=settings.db_synchronous_commit)
            # A bulk load that died with its vector index suspended (search_index_builds) left it missing.
            await restore_vector_index(engine, settings.hnsw_m, settings.hnsw_ef_construction)
            yield engine
            await engine.dispose()
        finally:
            if embedded is not None:
                await asyncio.to_thread(embedded.stop)

    @provide(scope=Scope.APP)
    def search_index_builds(self, engine: AsyncEngine, settings: Settings) -> SearchIndexBuilds:
        return PgSearchIndexBuilds(engine, settings.hnsw_m, settings.hnsw_ef_construction)

    @provide(scope=Scope.APP)
    def side_connections(self, engine: AsyncEngine, settings: Settings) -> SideConnections:
        """Half the pool at most is lent to hybrid searches' keyword legs (see ``side_connections``)."""
        return SideConnections(engine, limit=max(1, settings.db_pool_size // 2))

    @provide(scope=Scope.APP)
    def ping(self, engine: AsyncEngine) -> DatabasePing:
        return DatabasePing(engine)

    @provide(scope=Scope.APP)
    def vector_schema(self, engine: AsyncEngine, settings: Settings) -> VectorSchemaCheck:
        return VectorSchemaCheck(engine, settings)

    @provide(scope=Scope.APP)
    def gauges(self, engine: AsyncEngine) -> DatabaseGauges:
        return DatabaseGauges(engine)

    @provide(scope=Scope.REQUEST)
    async def session(self, engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
        async with create_session_factory(engine)() as session:
            yield session

    @provide(scope=Scope.APP)
    def blobs(self, settings: Settings) -> BlobStore:
        return LocalDiskBlobStore(settings.data_path / "blobs")

    users = provide(PgUserRepository, provides=UserRepository, scope=Scope.REQUEST)
    invitations = provide(PgInvitationRepository, provides=InvitationRepository, scope=Scope.REQUEST)
    refresh_tokens = provide(PgRefreshTokenRepository, provides=RefreshTokenRepository, scope=Scope.REQUEST)
    documents = provide(PgDocumentRepository, provides=DocumentRepository, scope=Scope.REQUEST)
    chats = provide(PgChatRepository, provides=ChatRepository, scope=Scope.REQUEST)
    messages = provide(PgMessageRepository, provides=MessageRepository, scope=Scope.REQUEST)
    uow = provide(PgUnitOfWork, provides=UnitOfWork, scope=Scope.REQUEST)
