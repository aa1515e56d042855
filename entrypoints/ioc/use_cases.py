from __future__ import annotations

from datetime import timedelta

from dishka import AsyncContainer, Provider, Scope, provide, provide_all

from application.bus import CommandBus
from application.handlers import COMMAND_HANDLERS
from application.ports.access_tokens import AccessTokens
from application.ports.blob_store import BlobStore
from application.ports.clock import Clock
from application.ports.document_repository import DocumentRepository
from application.ports.job_queue import JobQueue
from application.ports.refresh_token_repository import RefreshTokenRepository
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.accounts.token_pair import TokenPairIssuer
from application.use_cases.documents.document_indexing import DocumentIndexing
from application.use_cases.documents.upload_document import UploadDocumentHandler
from entrypoints.settings import Settings

# Use cases whose constructors only take ports are provided as they are.
_PLAIN = tuple(h for h in COMMAND_HANDLERS.values() if h is not UploadDocumentHandler)


class UseCaseProvider(Provider):
    scope = Scope.REQUEST

    handlers = provide_all(*_PLAIN)
    indexing = provide(DocumentIndexing)

    @provide
    def bus(self, container: AsyncContainer) -> CommandBus:
        return CommandBus(COMMAND_HANDLERS, container.get)

    @provide
    def token_pairs(
        self, access: AccessTokens, refresh: RefreshTokenRepository, clock: Clock, settings: Settings
    ) -> TokenPairIssuer:
        return TokenPairIssuer(access, refresh, clock, timedelta(seconds=settings.refresh_token_ttl_seconds))

    @provide
    def upload_document(
        self,
        documents: DocumentRepository,
        blobs: BlobStore,
        jobs: JobQueue,
        clock: Clock,
        uow: UnitOfWork,
        settings: Settings,
    ) -> UploadDocumentHandler:
        return UploadDocumentHandler(documents, blobs, jobs, clock, uow, settings.max_upload_bytes)
