"""Shared bits of the job use-case tests: a hand-moved clock in the container, users, chats and turns."""

from __future__ import annotations

import uuid

from dishka import Provider, Scope, provide

from application.commands import CreateChat, RegisterUser, SendMessage
from application.ports.clock import Clock
from domain.messages import ChatMessage
from domain.stages import Stage
from tests.support.clock import ManualClock
from tests.support.memory_app import MemoryApp


class ManualClockProvider(Provider):
    def __init__(self, clock: ManualClock) -> None:
        super().__init__()
        self._clock = clock

    @provide(scope=Scope.APP)
    def clock(self) -> Clock:
        return self._clock


async def user_and_chat(app: MemoryApp, title: str = "Trip planning") -> tuple[uuid.UUID, uuid.UUID]:
    user = await app.dispatch(RegisterUser(email=f"{uuid.uuid4().hex[:8]}@example.com", password="a fine passphrase"))
    chat = await app.dispatch(CreateChat(owner_id=user.id, title=title, stage=Stage.TEST))
    return user.id, chat.id


async def say(app: MemoryApp, owner: uuid.UUID, chat: uuid.UUID, text: str, *, answer: bool = True) -> ChatMessage:
    """Sends a user message and, by default, runs everything it queues (the turn and the after-turn jobs)."""
    message: ChatMessage = await app.dispatch(
        SendMessage(owner_id=owner, chat_id=chat, client_msg_id=uuid.uuid4().hex, text=text)
    )
    if answer:
        await app.run_jobs()
    return message
