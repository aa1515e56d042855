"""Two turns answering one question at once — the chat's lock was lost mid-turn (its store restarted, a stall
outlived the lease) and another processor took the question up — still leave one answer in the conversation."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncGenerator

from dishka import Provider, Scope, provide

from application.commands import GetChat, SendMessage
from application.frames import AnswerDoneFrame, AnswerStartedFrame, ReplacedFrame
from application.ports.chat_lock import ChatLock, LockLease
from application.ports.chat_model import ChatModel, CompletionRequest, TextDelta, Usage
from domain.messages import MessageStatus, Role
from tests.support.memory_app import memory_app
from tests.unit.chat.test_chat_runtime import _frames, _user_and_chat

LONG = 30.0


class ForgetfulLock:
    """A lock whose store forgot every lease: each processor that asks is granted the chat."""

    async def try_acquire(self, chat_id: uuid.UUID, ttl_seconds: float) -> LockLease | None:
        return LockLease(chat_id=chat_id, token=uuid.uuid4().hex)

    async def acquire(self, chat_id: uuid.UUID, ttl_seconds: float, wait_seconds: float) -> LockLease | None:
        return await self.try_acquire(chat_id, ttl_seconds)

    async def renew(self, lease: LockLease, ttl_seconds: float) -> bool:
        return True

    async def release(self, lease: LockLease) -> bool:
        return True


class TwoStreamsModel:
    """Holds every answer after its first token until two answers are streaming at once."""

    def __init__(self) -> None:
        self.streaming = 0
        self.both = asyncio.Event()
        self.gate = asyncio.Event()

    @property
    def name(self) -> str:
        return "two-streams"

    async def stream(self, request: CompletionRequest) -> AsyncGenerator[TextDelta | Usage, None]:
        self.streaming += 1
        yield TextDelta(text=f"answer {self.streaming}")
        if self.streaming == 2:
            self.both.set()
        await self.gate.wait()
        yield Usage(prompt_tokens=3, completion_tokens=2)


async def test_the_second_turn_to_finish_stores_nothing_and_withdraws_its_answer() -> None:
    model = TwoStreamsModel()

    class Overrides(Provider):
        @provide(scope=Scope.APP)
        def chat_model(self) -> ChatModel:
            return model

        @provide(scope=Scope.APP)
        def chat_lock(self) -> ChatLock:
            return ForgetfulLock()

    async with memory_app(Overrides()) as app:
        owner, chat = await _user_and_chat(app)
        question = await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="m1", text="hi"))
        [job] = (await app.turns()).take_all()
        first = asyncio.create_task(app.dispatch(job))
        second = asyncio.create_task(app.dispatch(job))  # recovers the item the first holds in flight
        async with asyncio.timeout(LONG):
            await model.both.wait()
        model.gate.set()
        async with asyncio.timeout(LONG):
            await asyncio.gather(first, second)

        history = (await app.dispatch(GetChat(owner_id=owner, chat_id=chat))).messages
        assert [(m.role, m.status) for m in history] == [
            (Role.USER, MessageStatus.COMPLETE), (Role.ASSISTANT, MessageStatus.COMPLETE)]
        assert history[0].id == question.id and history[1].reply_to == question.id
        frames = await _frames(app, owner, chat)
        started = [f.message_id for f in frames if isinstance(f, AnswerStartedFrame)]
        [done] = [f for f in frames if isinstance(f, AnswerDoneFrame)]
        [withdrawn] = [f for f in frames if isinstance(f, ReplacedFrame)]
        assert len(started) == 2 and set(started) == {done.message_id, *withdrawn.message_ids}
        assert done.message_id == history[1].id and withdrawn.by == question.id
