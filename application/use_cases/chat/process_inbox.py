from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TypeGuard

from application.chat.replacements import ReplacementApplier
from application.chat.turn_runner import TurnRunner
from application.commands import ProcessInbox
from application.ports.chat_lock import ChatLock, LockLease
from application.ports.chat_repository import ChatRepository
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
        self, chats: ChatRepository, messages: MessageRepository, inbox: Inbox, lock: ChatLock, turns: TurnRunner,
        uow: UnitOfWork, replacements: ReplacementApplier,
    ) -> None:
        self._replacements = replacements
        self._uow = uow
        self._chats = chats
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
                chat = await self._chats.get(command.owner_id, command.chat_id)
                message = await self._messages.get(command.chat_id, item.message_id)
                if chat is not None and _waiting(message):
                    if await self._replacements.apply_waiting(command.chat_id):
                        message = await self._messages.get(command.chat_id, item.message_id)
                    if _waiting(message):  # not dropped by an edit just applied
                        await self._turns.run(chat, message)  # its first reads join this transaction and end it
                        answered += 1
                    else:
                        await self._uow.commit()
                else:
                    await self._uow.commit()  # read only: no transaction stays open past the reads
                await self._inbox.ack(item)
        finally:
            renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewer
        return answered

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
