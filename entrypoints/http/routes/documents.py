from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, delete, get, patch, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.openapi import ResponseSpec
from litestar.params import Body, FromPath, JSONBody
from litestar.response import Stream
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from application.bus import CommandBus
from application.commands import (
    DeleteDocument,
    GetDocument,
    GetDocumentFile,
    GetDocumentText,
    ListDocuments,
    TagDocument,
    UploadDocument,
)
from domain.errors import InvalidInput
from entrypoints.http.auth import AUTHENTICATED, CurrentUserId
from entrypoints.http.downloads import content_disposition
from entrypoints.http.openapi import problems
from entrypoints.http.schemas.documents import (
    DocumentList,
    DocumentOut,
    DocumentTextOut,
    TextSectionOut,
    UpdateDocumentRequest,
)


@dataclass
class UploadForm:
    file: UploadFile
    tags: str | None = None
    """Comma-separated tags for the new document (optional)."""


UploadBody = Annotated[UploadForm, Body(media_type=RequestEncodingType.MULTI_PART)]

# Room for the multipart envelope around the file; the use case checks the file's own size exactly.
MULTIPART_OVERHEAD = 64 * 1024


class DocumentsController(Controller):
    path = "/documents"
    tags = ["documents"]
    dependencies = AUTHENTICATED

    @post("/", status_code=HTTP_201_CREATED, responses=problems(409))  # 409: the same bytes are already uploaded
    @inject
    async def upload(self, data: UploadBody, user_id: CurrentUserId, bus: FromDishka[CommandBus]) -> DocumentOut:
        upload = data.file
        if not isinstance(upload, UploadFile):
            raise InvalidInput("send the document as a file in the multipart field 'file'", field="file")
        content = await upload.read()
        document = await bus.dispatch(
            UploadDocument(
                owner_id=user_id,
                filename=upload.filename or "",
                content_type=upload.content_type or "application/octet-stream",
                data=content,
                tags=[tag for tag in (data.tags or "").split(",") if tag.strip()],
            )
        )
        return DocumentOut.of(document)

    @get("/")
    @inject
    async def list_documents(self, user_id: CurrentUserId, bus: FromDishka[CommandBus]) -> DocumentList:
        documents = await bus.dispatch(ListDocuments(owner_id=user_id))
        return DocumentList(items=[DocumentOut.of(d) for d in documents])

    @get("/{document_id:uuid}")
    @inject
    async def get_document(
        self, document_id: FromPath[uuid.UUID], user_id: CurrentUserId, bus: FromDishka[CommandBus]
    ) -> DocumentOut:
        return DocumentOut.of(await bus.dispatch(GetDocument(owner_id=user_id, document_id=document_id)))

    @get(
        "/{document_id:uuid}/file",
        response_description="The uploaded file as stored, with its own content type, as an attachment",
        responses={
            200: ResponseSpec(
                data_container=bytes,
                media_type="application/octet-stream",
                description="The file's bytes",
                generate_examples=False,
            )
        },
    )
    @inject
    async def get_document_file(
        self, document_id: FromPath[uuid.UUID], user_id: CurrentUserId, bus: FromDishka[CommandBus]
    ) -> Stream:
        """The owner's uploaded file, streamed from storage (another user's id answers 404 like a missing one)."""
        found = await bus.dispatch(GetDocumentFile(owner_id=user_id, document_id=document_id))
        return Stream(
            found.content,
            media_type=found.document.content_type,
            headers={
                "Content-Disposition": content_disposition(found.document.filename),
                "Content-Length": str(found.document.size_bytes),
                "Cache-Control": "private, no-cache",
            },
        )

    @get("/{document_id:uuid}/text")
    @inject
    async def get_document_text(
        self, document_id: FromPath[uuid.UUID], user_id: CurrentUserId, bus: FromDishka[CommandBus]
    ) -> DocumentTextOut:
        """The text as indexed, for formats the browser cannot render itself (the web UI uses it for Word)."""
        found = await bus.dispatch(GetDocumentText(owner_id=user_id, document_id=document_id))
        return DocumentTextOut(
            id=found.document.id,
            filename=found.document.filename,
            text=found.text,
            sections=[TextSectionOut(s.start, s.end, s.heading_path, s.page) for s in found.sections],
        )

    @patch("/{document_id:uuid}")
    @inject
    async def update_document(
        self,
        document_id: FromPath[uuid.UUID],
        data: JSONBody[UpdateDocumentRequest],
        user_id: CurrentUserId,
        bus: FromDishka[CommandBus],
    ) -> DocumentOut:
        document = await bus.dispatch(TagDocument(owner_id=user_id, document_id=document_id, tags=data.tags))
        return DocumentOut.of(document)

    @delete("/{document_id:uuid}", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def delete_document(
        self, document_id: FromPath[uuid.UUID], user_id: CurrentUserId, bus: FromDishka[CommandBus]
    ) -> None:
        await bus.dispatch(DeleteDocument(owner_id=user_id, document_id=document_id))
