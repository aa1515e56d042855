from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from typing import TypeGuard

from application.chat.recent_messages import RecentMessages
from application.chat.replacements import PENDING_PAGE, ReplacementApplier
from application.chat.turn_runner import TurnRunner
from application.chat.turn_starts import Admission, TurnStarts
from application.commands import ProcessInbox
from application.ports.chat_lock import ChatLock, LockLease
from application.ports.conversation_reader import ConversationReader
from application.ports.inbox import Inbox
from application.ports.message_repository import MessageRepository
from application.ports.unit_of_work import UnitOfWork
from domain.messages import ChatMessage, MessageStatus, Role

log = logging.getLogger(__name__)

LOCK_TTL_SECONDS = 30.0


def _waiting(message: ChatMessage | None) -> TypeGuard[ChatMessage]:
    """A question still to be answered: not answered or failed meanwhile, and not dropped by an edit."""
    return message is not None and message.role is Role.USER and message.status is MessageStatus.PENDING \
        and message.visible


class ProcessInboxHandler:
    """The stage manager: holds the chat's lock and answers queued messages in order, each by its chat's
    stage at the moment it is taken (a stage change applies from the next message on).

    Anyone may start one (every accepted message asks for one); only the lock holder works, the others return at
    once. It holds no database transaction past its reads: the turn it starts reads the history in the same
    short transaction and ends it before anything else. After
    releasing, it looks again: a message queued while it was finishing would otherwise wait for
    the next sweep. Items a crashed holder left in flight are recovered first, so they are answered (once: a
    message already answered is skipped by its status).
    """

    def __init__(
        self, messages: MessageRepository, inbox: Inbox, lock: ChatLock, turns: TurnRunner,
        uow: UnitOfWork, replacements: ReplacementApplier, starts: TurnStarts, conversations: ConversationReader,
    ) -> None:
        self._conversations = conversations
        self._starts = starts
        self._replacements = replacements
        self._uow = uow
        self._messages = messages
        self._inbox = inbox
        self._lock = lock
        self._turns = turns

    async def __call__(self, command: ProcessInbox) -> int:
        answered = 0
        while True:
            lease = await self._lock.try_acquire(command.chat_id, LOCK_TTL_SECONDS)
            if lease is None:
                return answered
            try:
                answered += await self._drain(command, lease)
            finally:
                await self._lock.release(lease)
            if await self._inbox.depth(command.chat_id) == 0:
                return answered

    async def _drain(self, command: ProcessInbox, lease: LockLease) -> int:
        worker = asyncio.current_task()
        renewer = asyncio.create_task(self._keep_lease(lease, worker))
        answered = 0
        try:
            await self._inbox.recover(command.chat_id)
            while (item := await self._inbox.take(command.chat_id)) is not None:
                async with self._starts.admit() as admission:
                    answered += await self._answer(command, item.message_id, admission)
                await self._inbox.ack(item)
        finally:
            renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewer
        return answered

    async def _answer(self, command: ProcessInbox, message_id: uuid.UUID, admission: Admission) -> int:
        """1 if the message was answered; 0 if it needs no answer (answered already, failed, dropped by an edit,
        or its chat is gone). The chat, its newest messages and its context are read once, together: they hold
        the question, the waiting edits and (mostly) the history and summary the answer needs. The turn gives
        ``admission`` back once it is prepared (``TurnStarts``)."""
        await self._uow.reads_only()  # the turn's reads end with its ``_read_conversation`` (no BEGIN/COMMIT)
        conversation = await self._conversations.read(command.owner_id, command.chat_id, PENDING_PAGE)
        if conversation is None:
            await self._uow.commit()  # read only: no transaction stays open past the reads
            return 0
        chat, recent = conversation.chat, RecentMessages.of(conversation, PENDING_PAGE)
        message = recent.find(message_id) or await self._messages.get(command.chat_id, message_id)
        if not _waiting(message):
            await self._uow.commit()  # read only: no transaction stays open past the reads
            return 0
        if self._replacements.waiting(recent):
            await self._uow.commit()  # the reads end; the edits are written in transactions of their own
            await self._replacements.apply_waiting(command.chat_id, recent)
            message = await self._messages.get(command.chat_id, message_id)
            if not _waiting(message):  # dropped by an edit just applied
                await self._uow.commit()
                return 0
            await self._turns.run(chat, message, None, admission)  # the page read before the edits is stale
            return 1
        await self._turns.run(chat, message, recent, admission)  # its reads join this transaction and end it
        return 1

    async def _keep_lease(self, lease: LockLease, worker: asyncio.Task[object] | None) -> None:
        """Renews the lease; if it is lost anyway (a long stall), stops the work, because another processor
        may now take the same item: the item stays in flight and that processor recovers it."""
        while True:
            await asyncio.sleep(LOCK_TTL_SECONDS / 3)
            if not await self._lock.renew(lease, LOCK_TTL_SECONDS):
                log.error("chat lock lost mid-turn; stopping", extra={"chat_id": str(lease.chat_id)})
                if worker is not None:
                    worker.cancel()
                return
