from __future__ import annotations

import logging
from collections.abc import Awaitable

from application.commands import DeleteUser
from application.ports.blob_store import BlobStore
from application.ports.chat_repository import ChatRepository
from application.ports.chunk_index import ChunkIndex
from application.ports.delivery_log import DeliveryLog
from application.ports.document_repository import DocumentRepository
from application.ports.job_store import JobStore
from application.ports.token_usage_repository import TokenUsageRepository
from application.ports.unit_of_work import UnitOfWork
from application.ports.user_repository import UserRepository
from application.use_cases.admin.administrator import ensure_administrator, existing_user

log = logging.getLogger(__name__)


class DeleteUserHandler:
    """Deletes an account and everything it owns: documents (rows, chunks, files), chats (messages, context,
    delivery log), token usage, refresh tokens, the invitations it made, and its background jobs.

    The rows go in one transaction; files, delivery logs and jobs after the commit (as ``DeleteDocument``
    and ``DeleteChat`` do): a leftover there is logged, and nothing can reach it without the rows.
    Raises ``Forbidden`` (not the administrator, or the target is the administrator) and ``NotFound``.
    """

    def __init__(
        self,
        users: UserRepository,
        documents: DocumentRepository,
        chunks: ChunkIndex,
        chats: ChatRepository,
        usage: TokenUsageRepository,
        blobs: BlobStore,
        delivery_log: DeliveryLog,
        jobs: JobStore,
        uow: UnitOfWork,
    ) -> None:
        self._users = users
        self._documents = documents
        self._chunks = chunks
        self._chats = chats
        self._usage = usage
        self._blobs = blobs
        self._log = delivery_log
        self._jobs = jobs
        self._uow = uow

    async def __call__(self, command: DeleteUser) -> None:
        await ensure_administrator(self._users, command.actor_id)
        user = await existing_user(self._users, command.user_id)
        user.ensure_deletable()
        documents = await self._documents.list(user.id)
        chats = await self._chats.list(user.id)
        for document in documents:
            await self._chunks.delete_document(user.id, document.id)
            await self._documents.delete(user.id, document.id)
        for chat in chats:
            await self._chats.delete(user.id, chat.id)
        await self._usage.forget_user(user.id)
        await self._users.delete(user.id)  # and, with the row, refresh tokens and invitations
        await self._uow.commit()

        for chat in chats:
            await self._forget("delivery log", self._log.discard(chat.id))
        for document in documents:
            await self._forget("blob", self._blobs.delete(document.blob_key))
        await self._forget("jobs", self._jobs.forget_owner(user.id))
        log.info("user deleted", extra={"documents": len(documents), "chats": len(chats)})

    @staticmethod
    async def _forget(what: str, step: Awaitable[object]) -> None:
        try:
            await step
        except Exception:
            log.exception("left behind after deleting a user", extra={"what": what})
