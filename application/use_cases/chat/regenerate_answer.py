from __future__ import annotations

from application.commands import RegenerateAnswer, SendMessage
from application.ports.chat_repository import ChatRepository
from application.ports.message_repository import MessageRepository
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.chat.send_message import RECENT_PAGE, SendMessageHandler
from domain.errors import Conflict, MessageReplaced, NotFound
from domain.messages import ChatMessage, Role


class RegenerateAnswerHandler:
    """Answers the chat's last question again: an edit that keeps the question's text, so it shares every rule of
    one (``SendMessageHandler``): the earlier answers leave the conversation when the new turn starts, and the
    client's ``client_msg_id`` (the new question's) makes a re-sent regenerate one turn.

    Raises ``NotFound`` (missing or foreign chat, unknown question), ``MessageReplaced`` (an edit replaced it),
    ``Conflict`` (not the last question: a later one exists, from this tab or another) and whatever
    ``SendMessageHandler`` raises.
    """

    def __init__(
        self, chats: ChatRepository, messages: MessageRepository, uow: UnitOfWork, send: SendMessageHandler
    ) -> None:
        self._chats = chats
        self._messages = messages
        self._uow = uow
        self._send = send

    async def __call__(self, command: RegenerateAnswer) -> ChatMessage:
        if await self._chats.get(command.owner_id, command.chat_id) is None:
            raise NotFound("chat not found")
        again = await self._messages.get_by_client_msg_id(command.chat_id, command.client_msg_id)
        text = again.content if again is not None else (await self._last_question(command)).content
        await self._uow.commit()
        return await self._send(
            SendMessage(
                owner_id=command.owner_id,
                chat_id=command.chat_id,
                client_msg_id=command.client_msg_id,
                text=text,
                replaces=command.message_id,
            )
        )

    async def _last_question(self, command: RegenerateAnswer) -> ChatMessage:
        question = await self._messages.get(command.chat_id, command.message_id)
        if question is None or question.role is not Role.USER:
            raise NotFound("no such question in this chat")
        if not question.visible:
            raise MessageReplaced("that question was already replaced; reload the chat")
        recent = await self._messages.list(command.chat_id, before=None, limit=RECENT_PAGE)
        last = next((m for m in reversed(recent) if m.role is Role.USER), None)
        if last is None or last.id != question.id:
            raise Conflict("only the last question can be answered again")
        return question
