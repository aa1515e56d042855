from __future__ import annotations

import uuid

from application.chat.frame_emitter import FrameEmitter
from application.chat.recent_messages import RecentMessages
from application.frames import ReplacedFrame
from application.ports.chat_context_repository import ChatContextRepository
from application.ports.message_repository import MessageRepository
from application.ports.unit_of_work import UnitOfWork
from domain.context import ChatContext
from domain.messages import ChatMessage, MessageStatus, Role

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

    def __init__(
        self, messages: MessageRepository, frames: FrameEmitter, uow: UnitOfWork, contexts: ChatContextRepository
    ) -> None:
        self._contexts = contexts
        self._messages = messages
        self._frames = frames
        self._uow = uow

    @staticmethod
    def waiting(recent: RecentMessages) -> bool:
        """Whether ``apply_waiting`` would write anything."""
        return bool(_edits(recent))

    async def apply_waiting(self, chat_id: uuid.UUID, recent: RecentMessages) -> bool:
        """``recent``: the chat's newest messages, at least ``PENDING_PAGE`` of them, as the caller just read
        them. Returns whether any edit was waiting: then the caller's reads are stale (and their transaction
        ended). With none, nothing is committed: the caller's transaction goes on."""
        edits = _edits(recent)
        for edit in edits:
            replaced = await self._messages.supersede(edit)
            if replaced:
                await self._forget_summary_of(edit)
            await self._uow.commit()  # durable before any socket hears of it
            if replaced:
                await self._frames.emit(chat_id, ReplacedFrame(message_ids=replaced, by=edit.id))
        return bool(edits)

    async def _forget_summary_of(self, edit: ChatMessage) -> None:
        """A rolling summary that folded in the replaced question (or later ones) would keep feeding the dropped
        turns to the model: it is cleared, and the next summary job folds the conversation as it now is."""
        context = await self._contexts.get(edit.chat_id)
        start = None if edit.replaces is None else await self._messages.get(edit.chat_id, edit.replaces)
        if context is not None and start is not None and start.position <= context.summarized_through:
            await self._contexts.save(ChatContext(chat_id=edit.chat_id))


def _edits(recent: RecentMessages) -> list[ChatMessage]:
    return [
        m for m in recent.messages
        if m.role is Role.USER and m.replaces is not None and m.status is MessageStatus.PENDING
    ]
