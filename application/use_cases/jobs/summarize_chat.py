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

    Runs under the chat's job lock, and reads the context only once it holds it, so two summaries of one chat
    never interleave: the second sees what the first committed and folds only what is left (often nothing).
    Running it twice therefore gives the same context. Folding stops before a message still being answered.
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
        async with self._lock.hold(command.chat_id):
            try:
                context = await self._contexts.get(command.chat_id) or ChatContext(chat_id=command.chat_id)
                foldable = await self._foldable(command.chat_id, context.summarized_through)
                if not foldable:
                    await self._uow.rollback()
                    return context
                summary = await self._summarizer.summarize(context.summary, foldable)
                context = ChatContext(chat_id=command.chat_id, summary=summary,
                                      summarized_through=foldable[-1].position, updated_at=self._clock.now())
                await self._contexts.save(context)
                await self._uow.commit()
                return context
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
