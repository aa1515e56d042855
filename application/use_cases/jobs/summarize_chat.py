from __future__ import annotations

import uuid

import msgspec

from application.commands import SummarizeChat
from application.ports.chat_context_repository import ChatContextRepository
from application.ports.chat_job_lock import ChatJobLock
from application.ports.chat_repository import ChatRepository
from application.ports.clock import Clock
from application.ports.message_repository import MessageRepository
from application.ports.summarizer import Summarizer
from application.ports.unit_of_work import UnitOfWork
from domain.context import ChatContext
from domain.messages import ChatMessage, MessageStatus


class SummaryPolicy(msgspec.Struct, frozen=True, kw_only=True):
    keep_recent: int = 10
    """The latest messages stay out of the summary: the model sees them verbatim."""
    batch_size: int = 50
    """At most this many messages are folded per run (a long backlog is folded over several runs)."""


class SummarizeChatHandler:
    """Job: folds the chat's messages older than the recent window into its rolling summary.

    Reads under the chat's job lock, lets the model write with nothing held, then saves under the lock only if
    the context has not moved meanwhile, so two summaries of one chat never interleave: the later one either
    sees what the first committed and folds only what is left (often nothing) or is dropped. Running it twice
    therefore gives the same context. Folding stops before a message still being answered.
    A deleted chat is nothing to do. Raises ``ModelUnavailable`` and ``StorageUnavailable`` (retried).
    """

    def __init__(
        self,
        chats: ChatRepository,
        messages: MessageRepository,
        contexts: ChatContextRepository,
        lock: ChatJobLock,
        summarizer: Summarizer,
        clock: Clock,
        uow: UnitOfWork,
        policy: SummaryPolicy,
    ) -> None:
        self._chats = chats
        self._messages = messages
        self._contexts = contexts
        self._lock = lock
        self._summarizer = summarizer
        self._clock = clock
        self._uow = uow
        self._policy = policy

    async def __call__(self, command: SummarizeChat) -> ChatContext | None:
        if await self._chats.get(command.owner_id, command.chat_id) is None:
            return None
        context, foldable = await self._read(command.chat_id)
        if not foldable:
            return context
        # The model writes with no transaction or lock held: a slow model must not pin a pooled connection
        # (nor block the chat's other jobs) for the length of its answer.
        summary = await self._summarizer.summarize(context.summary, foldable)
        folded = ChatContext(chat_id=command.chat_id, summary=summary,
                             summarized_through=foldable[-1].position, updated_at=self._clock.now())
        return await self._save_unless_moved(context, folded, [m.id for m in foldable])

    async def _read(self, chat_id: uuid.UUID) -> tuple[ChatContext, list[ChatMessage]]:
        async with self._lock.hold(chat_id):
            try:
                context = await self._contexts.get(chat_id) or ChatContext(chat_id=chat_id)
                return context, await self._foldable(chat_id, context.summarized_through)
            finally:
                await self._uow.rollback()

    async def _save_unless_moved(self, read: ChatContext, folded: ChatContext,
                                 message_ids: list[uuid.UUID]) -> ChatContext:
        """Saves the new summary only if nothing moved since ``read``: no other run folded the chat (its summary
        stands; this one, built on the older summary, is dropped, so runs never interleave their folds), and
        no edit replaced a folded message meanwhile (the next run folds what the chat now says)."""
        async with self._lock.hold(folded.chat_id):
            try:
                current = await self._contexts.get(folded.chat_id) or ChatContext(chat_id=folded.chat_id)
                still = await self._foldable(folded.chat_id, read.summarized_through)
                moved = current.summarized_through != read.summarized_through
                if moved or [m.id for m in still[: len(message_ids)]] != message_ids:
                    await self._uow.rollback()
                    return current
                await self._contexts.save(folded)
                await self._uow.commit()
                return folded
            except BaseException:
                await self._uow.rollback()
                raise

    async def _foldable(self, chat_id: uuid.UUID, through: int) -> list[ChatMessage]:
        latest = await self._messages.list(chat_id, before=None, limit=1)
        if not latest:
            return []
        cutoff = latest[-1].position - self._policy.keep_recent
        if cutoff <= through:
            return []
        last = min(cutoff, through + self._policy.batch_size)
        page = await self._messages.list(chat_id, before=last + 1, limit=last - through)
        foldable: list[ChatMessage] = []
        for message in page:
            if message.position <= through:
                continue
            if message.status is MessageStatus.PENDING:
                break
            foldable.append(message)
        return foldable
