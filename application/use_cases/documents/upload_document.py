from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid

from application.commands import IndexDocument, UploadDocument
from application.ports.blob_store import BlobStore
from application.ports.clock import Clock
from application.ports.document_repository import DocumentRepository
from application.ports.job_queue import JobQueue
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.jobs.job_keys import index_key
from domain.document_types import DocumentType, clean_filename, detect_document_type
from domain.documents import Document, DocumentStatus, clean_tags
from domain.errors import DocumentTooLarge, DuplicateDocument

log = logging.getLogger(__name__)


class UploadDocumentHandler:
    """Stores an upload and queues its indexing.

    Raises ``InvalidInput`` (empty / nameless file, bad tags), ``UnsupportedDocumentType``,
    ``DocumentTooLarge`` and ``DuplicateDocument`` (the owner already has a file with exactly these bytes: its
    copies would fill several of an answer's passages with the same text).
    The blob is written before the row so a row never points at nothing; if the row fails the blob is removed.
    If queueing fails after commit the document stays ``pending`` and the stuck-work sweeper picks it up.
    """

    def __init__(
        self,
        documents: DocumentRepository,
        blobs: BlobStore,
        jobs: JobQueue,
        clock: Clock,
        uow: UnitOfWork,
        max_bytes: int,
    ) -> None:
        self._documents = documents
        self._blobs = blobs
        self._jobs = jobs
        self._clock = clock
        self._uow = uow
        self._max_bytes = max_bytes

    async def __call__(self, command: UploadDocument) -> Document:
        if len(command.data) > self._max_bytes:
            raise DocumentTooLarge.over(self._max_bytes)
        filename = clean_filename(command.filename)
        # Reading a zip's directory and hashing 25 MB take a while: a worker thread, not the event loop.
        doc_type, digest = await asyncio.to_thread(_inspect, filename, command.data)
        tags = clean_tags(command.tags)
        if (existing := await self._documents.find_by_sha256(command.owner_id, digest)) is not None:
            raise DuplicateDocument(f"this file is already uploaded as {existing.filename}", existing.id)
        now = self._clock.now()
        document_id = uuid.uuid4()
        document = Document(
            id=document_id,
            owner_id=command.owner_id,
            filename=filename,
            content_type=doc_type.value,
            size_bytes=len(command.data),
            sha256=digest,
            blob_key=f"{command.owner_id}/{document_id}",
            status=DocumentStatus.PENDING,
            created_at=now,
            updated_at=now,
            tags=tags,
            source_url=command.source_url,
        )
        await self._blobs.put(document.blob_key, command.data)
        try:
            await self._documents.add(document)
            await self._uow.commit()
        except BaseException:
            await self._blobs.delete(document.blob_key)
            raise
        try:
            await self._jobs.enqueue(
                IndexDocument(owner_id=document.owner_id, document_id=document.id),
                key=index_key(document.id),
            )
        except Exception:
            log.exception("could not queue indexing; the sweeper will retry", extra={"document_id": str(document.id)})
        return document


def _inspect(filename: str, data: bytes) -> tuple[DocumentType, str]:
    return detect_document_type(filename, data), hashlib.sha256(data).hexdigest()
