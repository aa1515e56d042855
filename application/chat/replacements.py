from __future__ import annotations

import uuid

from application.chat.frame_emitter import FrameEmitter
from application.frames import ReplacedFrame
from application.ports.message_repository import MessageRepository
from application.ports.unit_of_work import UnitOfWork
from domain.messages import MessageStatus, Role

PENDING_PAGE = 50
"""How far back the processor looks for waiting edits; waiting questions are the chat's newest."""


class ReplacementApplier:
    """Applies the chat's waiting edits and regenerates (questions with ``replaces``): the messages each one drops
    leave the conversation, and the chat's sockets hear ``replaced``.

    Only the stage manager calls it, holding the chat's lock, before it answers a question: no turn is writing
    then, so an answer can never land after the messages it belongs with were replaced. All waiting edits are
    applied, not just the one about to be answered, so a question an edit dropped is skipped instead of answered
    in vain. Applying an edit again (a retried turn) marks nothing and announces nothing.
    """

    def __init__(self, messages: MessageRepository, frames: FrameEmitter, uow: UnitOfWork) -> None:
        self._messages = messages
        self._frames = frames
        self._uow = uow

    async def apply_waiting(self, chat_id: uuid.UUID) -> bool:
        """Returns whether any edit was waiting: then the caller's reads are stale (and their transaction ended).
        With none, nothing is committed: the caller's transaction goes on."""
        recent = await self._messages.list(chat_id, before=None, limit=PENDING_PAGE)
        edits = [
            m for m in recent if m.role is Role.USER and m.replaces is not None and m.status is MessageStatus.PENDING
        ]
        for edit in edits:
            replaced = await self._messages.supersede(edit)
            await self._uow.commit()  # durable before any socket hears of it
            if replaced:
                await self._frames.emit(chat_id, ReplacedFrame(message_ids=replaced, by=edit.id))
        return bool(edits)
