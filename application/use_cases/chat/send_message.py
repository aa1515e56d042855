from __future__ import annotations

import logging
import uuid

from application.chat.frame_emitter import FrameEmitter
from application.commands import ProcessInbox, SendMessage, TitleChat
from application.frames import AcceptedFrame
from application.ports.chat_repository import ChatRepository
from application.ports.clock import Clock
from application.ports.inbox import Inbox, InboxItem
from application.ports.job_queue import JobQueue
from application.ports.message_repository import AddedQuestion, MessageRepository
from application.ports.stop_signals import StopSignals
from application.ports.turn_scheduler import TurnScheduler
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.jobs.job_keys import title_key
from domain.errors import Conflict, MessageReplaced, NotFound
from domain.messages import ChatMessage, MessageStatus, Role, check_client_msg_id, clean_message_text

log = logging.getLogger(__name__)

RECENT_PAGE = 50
"""How far back an edit looks for the question being answered; waiting questions are the chat's newest."""


class SendMessageHandler:
    """Accepts a user message: persist → queue → ``accepted`` frame → make sure a processor runs.

    The ``accepted`` frame goes to every socket of the chat and carries the question itself (text, position),
    so each shows it once, in order, whichever socket sent it.

    Idempotent on ``client_msg_id``: a re-send (after a reconnect) answers ``accepted`` again with the same
    message id and starts no second turn; a re-send of a message whose turn was interrupted queues it again,
    which is how a client retries. The message is durable before it is queued, so a lost inbox (Redis restart)
    loses nothing: the processor answers only messages still ``pending``, and the sweeper re-queues those.

    An edit (``replaces``) is a question like any other, queued behind the chat's earlier ones; the processor
    applies it (``ReplacementApplier``) just before answering, so no turn writes while messages are replaced. An
    answer being written to the replaced question, or to one after it, is stopped first: it is doomed.

    Raises ``NotFound`` (missing or foreign chat, or an edit of a message that is not a question in it),
    ``MessageReplaced`` (a re-send or an edit of a question an edit already replaced), ``InvalidInput`` (empty or
    too long text, control characters) and ``StorageUnavailable``.
    """

    def __init__(
        self,
        chats: ChatRepository,
        messages: MessageRepository,
        inbox: Inbox,
        frames: FrameEmitter,
        turns: TurnScheduler,
        clock: Clock,
        uow: UnitOfWork,
        jobs: JobQueue,
        stops: StopSignals,
    ) -> None:
        self._stops = stops
        self._jobs = jobs
        self._chats = chats
        self._messages = messages
        self._inbox = inbox
        self._frames = frames
        self._turns = turns
        self._clock = clock
        self._uow = uow

    async def __call__(self, command: SendMessage) -> ChatMessage:
        check_client_msg_id(command.client_msg_id)
        if command.replaces is not None and await self._chats.get(command.owner_id, command.chat_id) is None:
            raise NotFound("chat not found")  # a plain message's store checks its chat (``_store``)
        added, replaced = await self._new_message(command)
        first = doomed = False
        if added is not None:
            message = added.message
            queue, first = True, message.position == 1 and added.title_open
            doomed = replaced is not None and await self._answering_from(replaced, message)
        else:
            message = await self._sent_before(command)
            queue = message.role is Role.USER and message.status is not MessageStatus.COMPLETE
            if message.status is MessageStatus.INTERRUPTED:
                message.status = MessageStatus.PENDING
                message.error = None
                await self._messages.update(message)
        await self._uow.commit()  # ends the unit of work (reads too) before the inbox and frame log are called
        if doomed:
            await self._stops.request_stop(command.chat_id)  # before the push: the edit's own turn is not stopped
        if queue:
            await self._inbox.push(
                InboxItem(chat_id=command.chat_id, message_id=message.id, client_msg_id=command.client_msg_id)
            )
        await self._frames.emit(command.chat_id, AcceptedFrame(
            client_msg_id=command.client_msg_id, message_id=message.id, text=message.content,
            position=message.position, status=message.status, created_at=message.created_at,
            replaces=message.replaces,
        ))
        if queue:
            await self._turns.schedule(ProcessInbox(owner_id=command.owner_id, chat_id=command.chat_id))
        if first:
            await self._title_later(command, message)
        return message

    async def _title_later(self, command: SendMessage, message: ChatMessage) -> None:
        """The chat's first question names it, in the background; a queue outage only leaves "New chat"."""
        try:
            await self._jobs.enqueue(TitleChat(owner_id=command.owner_id, chat_id=command.chat_id,
                                               message_id=message.id), key=title_key(command.chat_id))
        except Exception:
            log.exception("could not queue the chat title job", extra={"chat_id": str(command.chat_id)})

    async def _replaced(self, command: SendMessage) -> ChatMessage | None:
        """The question an edit replaces, checked: a question of this chat still in the conversation."""
        if command.replaces is None:
            return None
        replaced = await self._messages.get(command.chat_id, command.replaces)
        if replaced is None or replaced.role is not Role.USER:
            raise NotFound("no such question in this chat")
        if not replaced.visible:
            raise MessageReplaced("that question was already replaced by an edit; reload the chat")
        return replaced

    async def _answering_from(self, replaced: ChatMessage, edit: ChatMessage) -> bool:
        """Whether the answer being written (to the oldest waiting question: turns go in order) is one the edit
        drops. An earlier question's answer goes on."""
        recent = await self._messages.list(edit.chat_id, before=edit.position, limit=RECENT_PAGE)
        waiting = next((m for m in recent if m.role is Role.USER and m.status is MessageStatus.PENDING), None)
        return waiting is not None and waiting.position >= replaced.position

    async def _new_message(self, command: SendMessage) -> tuple[AddedQuestion | None, ChatMessage | None]:
        """The message stored now (and whether its chat's title is still open: a chat's first question asks
        for one), and the question it replaces (an edit); ``None`` for a re-send. A plain message is simply
        stored: the store itself finds a re-send (its ``client_msg_id`` conflicts), in one statement. An edit
        is looked up first, because a re-sent edit's replaced question is already gone."""
        replaced = None
        if command.replaces is not None:
            if await self._messages.get_by_client_msg_id(command.chat_id, command.client_msg_id) is not None:
                return None, None
            replaced = await self._replaced(command)
        try:
            return await self._store(command), replaced
        except Conflict:
            return None, None  # a re-send (or a concurrent one won the race): answered with the stored message

    async def _sent_before(self, command: SendMessage) -> ChatMessage:
        message = await self._messages.get_by_client_msg_id(command.chat_id, command.client_msg_id)
        if message is None:
            raise Conflict("this client_msg_id was already used in the chat")  # not reached: ids are never freed
        if not message.visible:
            raise MessageReplaced("this question was replaced by an edit; reload the chat")
        return message

    async def _store(self, command: SendMessage) -> AddedQuestion:
        """Raises ``NotFound`` (no such chat of the user's: checked by the store itself, no read first) and
        ``Conflict`` (the ``client_msg_id`` is taken) with the transaction still usable."""
        return await self._messages.add_question(
            ChatMessage(
                id=uuid.uuid4(),
                chat_id=command.chat_id,
                role=Role.USER,
                content=clean_message_text(command.text),
                created_at=self._clock.now(),
                status=MessageStatus.PENDING,
                client_msg_id=command.client_msg_id,
                replaces=command.replaces,
            ),
            owner_id=command.owner_id,
        )
