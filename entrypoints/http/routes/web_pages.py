"""Documents added by their web address: `POST /documents/url` and `POST /documents/{id}/refetch`.

Apart from the upload routes so these JSON bodies keep the small body limit of every other JSON route.
"""

from __future__ import annotations

import uuid

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from application.bus import CommandBus
from application.commands import ImportWebPage, RefetchDocument
from entrypoints.http.auth import AUTHENTICATED, CurrentUserId
from entrypoints.http.openapi import problems
from entrypoints.http.schemas.documents import DocumentOut, ImportWebPageRequest


class WebPagesController(Controller):
    path = "/documents"
    tags = ["documents"]
    dependencies = AUTHENTICATED

    @post("/url", status_code=HTTP_201_CREATED, responses=problems(409, 413, 415, 422))
    @inject
    async def import_web_page(
        self, data: JSONBody[ImportWebPageRequest], user_id: CurrentUserId, bus: FromDishka[CommandBus]
    ) -> DocumentOut:
        """Fetches the page (HTML, or a PDF / text file) and indexes it like an upload. Only public addresses:
        400 `url_refused` for private, loopback, link-local and metadata addresses (after DNS, on every
        redirect); 422 `page_unavailable` when the page cannot be fetched; 413 beyond the upload size limit."""
        document = await bus.dispatch(ImportWebPage(owner_id=user_id, url=data.url, tags=data.tags))
        return DocumentOut.of(document)

    @post("/{document_id:uuid}/refetch", status_code=HTTP_200_OK, responses=problems(413, 415, 422))
    @inject
    async def refetch_document(
        self, document_id: FromPath[uuid.UUID], user_id: CurrentUserId, bus: FromDishka[CommandBus]
    ) -> DocumentOut:
        """Fetches a document added by URL again: changed content is indexed anew (status `pending`), unchanged
        content leaves the document as it is."""
        return DocumentOut.of(await bus.dispatch(RefetchDocument(owner_id=user_id, document_id=document_id)))
