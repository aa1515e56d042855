from __future__ import annotations

import logging
from datetime import timedelta

import msgspec

from application.commands import IndexDocument, ProcessInbox, SweepStuckWork
from application.ports.clock import Clock
from application.ports.inbox import Inbox, InboxItem
from application.ports.job_queue import JobQueue
from application.ports.job_store import JobStore
from application.ports.stuck_work import StuckWork
from application.use_cases.jobs.job_keys import index_key, turn_key

log = logging.getLogger(__name__)


class SweepPolicy(msgspec.Struct, frozen=True, kw_only=True):
    stuck_after_seconds: float = 300.0
    unanswered_after_seconds: float = 30.0
    """Shorter than for documents: a person is waiting. A turn still running past it gets a duplicate inbox
    item, which its processor skips, so erring short costs nothing but a skip."""
    batch_size: int = 500


class SweepReport(msgspec.Struct, frozen=True, kw_only=True):
    recovered_jobs: int = 0
    documents: int = 0
    messages: int = 0


class SweepStuckWorkHandler:
    """The sweeper: puts work back on the queue when its job vanished.

    - jobs claimed by a worker (or embedded runner) that died are made runnable again;
    - a document ``pending``/``indexing`` untouched for ``stuck_after`` with no live job is queued again
      (indexing commits progress after every batch, so a live one is never that quiet);
    - a user message still ``pending`` after ``unanswered_after`` is pushed to its chat's inbox again and its
      turn queued: the inbox may have been lost (Redis flushed, the embedded process restarted) and a
      duplicate is harmless because the processor skips messages already answered.
    Safe to run anywhere, any number of times. Raises ``StorageUnavailable``.
    """

    def __init__(
        self, stuck: StuckWork, store: JobStore, jobs: JobQueue, inbox: Inbox, clock: Clock, policy: SweepPolicy
    ) -> None:
        self._stuck = stuck
        self._store = store
        self._jobs = jobs
        self._inbox = inbox
        self._clock = clock
        self._policy = policy

    async def __call__(self, command: SweepStuckWork) -> SweepReport:
        recovered = await self._store.recover_abandoned()
        before = self._clock.now() - timedelta(seconds=self._policy.stuck_after_seconds)
        documents = 0
        for document in await self._stuck.waiting_documents(before, self._policy.batch_size):
            key = index_key(document.document_id)
            if await self._store.is_active(key):
                continue
            await self._jobs.enqueue(IndexDocument(owner_id=document.owner_id, document_id=document.document_id),
                                     key=key)
            documents += 1
        messages = 0
        unanswered_before = self._clock.now() - timedelta(seconds=self._policy.unanswered_after_seconds)
        for message in await self._stuck.waiting_messages(unanswered_before, self._policy.batch_size):
            await self._inbox.push(InboxItem(chat_id=message.chat_id, message_id=message.message_id,
                                             client_msg_id=message.client_msg_id))
            await self._jobs.enqueue(ProcessInbox(owner_id=message.owner_id, chat_id=message.chat_id),
                                     key=turn_key(message.message_id))
            messages += 1
        report = SweepReport(recovered_jobs=recovered, documents=documents, messages=messages)
        if recovered or documents or messages:
            log.warning("stuck work queued again", extra=msgspec.structs.asdict(report))
        return report
