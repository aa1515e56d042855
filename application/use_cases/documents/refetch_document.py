from __future__ import annotations

import asyncio
import hashlib
import logging

from application.commands import IndexDocument, RefetchDocument
from application.ports.blob_store import BlobStore
from application.ports.clock import Clock
from application.ports.document_repository import DocumentRepository
from application.ports.job_queue import JobQueue
from application.ports.unit_of_work import UnitOfWork
from application.ports.web_page_fetcher import WebPageFetcher
from domain.document_types import detect_document_type
from domain.documents import Document
from domain.errors import InvalidInput, NotFound

log = logging.getLogger(__name__)


class RefetchDocumentHandler:
    """Fetches a document added by URL again. Unchanged bytes leave it as it is; new bytes replace the stored
    file and the document is indexed anew (its chunks are replaced atomically when that finishes, so answers
    keep citing the old text until then).

    Raises ``NotFound``, ``InvalidInput`` (the document was uploaded, not added by URL) and what the fetch
    raises (``UrlRefused``, ``PageUnavailable``, ``DocumentTooLarge``, ``UnsupportedDocumentType``).
    """

    def __init__(
        self,
        documents: DocumentRepository,
        fetcher: WebPageFetcher,
        blobs: BlobStore,
        jobs: JobQueue,
        clock: Clock,
        uow: UnitOfWork,
    ) -> None:
        self._documents = documents
        self._fetcher = fetcher
        self._blobs = blobs
        self._jobs = jobs
        self._clock = clock
        self._uow = uow

    async def __call__(self, command: RefetchDocument) -> Document:
        document = await self._documents.get(command.owner_id, command.document_id)
        if document is None:
            raise NotFound("document not found")
        if document.source_url is None:
            raise InvalidInput("only a document added by its web address can be fetched again", field="document")
        await self._uow.commit()  # no transaction stays open during the download
        page = await self._fetcher.fetch(document.source_url)
        digest = hashlib.sha256(page.data).hexdigest()
        if digest == document.sha256:
            return document
        doc_type = await asyncio.to_thread(detect_document_type, page.filename, page.data)
        await self._blobs.put(document.blob_key, page.data)  # atomic replace: a reader sees old or new bytes
        document.replace_content(len(page.data), digest, doc_type.value, self._clock.now())
        if not await self._documents.replace_content(document):
            raise NotFound("document not found")
        await self._uow.commit()
        try:
            await self._jobs.enqueue(
                IndexDocument(owner_id=document.owner_id, document_id=document.id), key=f"index:{document.id}:{digest}"
            )
        except Exception:
            log.exception("could not queue indexing; the sweeper will retry", extra={"document_id": str(document.id)})
        return document
