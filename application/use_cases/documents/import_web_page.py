from __future__ import annotations

from application.commands import ImportWebPage, UploadDocument
from application.ports.web_page_fetcher import WebPageFetcher
from application.use_cases.documents.upload_document import UploadDocumentHandler
from domain.documents import Document, clean_tags


class ImportWebPageHandler:
    """Adds a web page by its address: fetched (``WebPageFetcher`` keeps it to public addresses, bounded in size
    and time), then stored and indexed exactly like an upload, remembering the address for ``RefetchDocument``.

    Raises ``UrlRefused``, ``PageUnavailable``, ``DocumentTooLarge`` (from the fetch) and whatever an upload
    raises (``UnsupportedDocumentType``, ``DuplicateDocument``, ``InvalidInput``).
    """

    def __init__(self, fetcher: WebPageFetcher, upload: UploadDocumentHandler) -> None:
        self._fetcher = fetcher
        self._upload = upload

    async def __call__(self, command: ImportWebPage) -> Document:
        tags = clean_tags(command.tags)  # before the fetch: a bad tag should not cost a download
        page = await self._fetcher.fetch(command.url)
        return await self._upload(
            UploadDocument(
                owner_id=command.owner_id,
                filename=page.filename,
                content_type="",
                data=page.data,
                tags=tags,
                source_url=command.url.strip(),
            )
        )
