"""Turns take a place among the few that work at once (``TurnStarts``) only to store and prepare: answers
stream without one, so a single place still lets every chat's answer stream at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

from dishka import Provider, Scope, provide

from application.chat.turn_starts import TurnStarts
from application.commands import GetChat, SendMessage
from application.frames import AnswerDoneFrame
from application.ports.chat_model import ChatModel, CompletionRequest, TextDelta, Usage
from domain.messages import MessageStatus
from tests.support.memory_app import memory_app
from tests.unit.chat.test_chat_runtime import _frames, _user_and_chat

LONG = 30.0
CHATS = 3


class HeldStreamsModel:
    """Holds every answer after its first token until ``CHATS`` answers are streaming at once."""

    def __init__(self) -> None:
        self.streaming = 0
        self.all_streaming = asyncio.Event()
        self.gate = asyncio.Event()

    @property
    def name(self) -> str:
        return "held-streams"

    async def stream(self, request: CompletionRequest) -> AsyncGenerator[TextDelta | Usage, None]:
        self.streaming += 1
        yield TextDelta(text="an answer")
        if self.streaming == CHATS:
            self.all_streaming.set()
        await self.gate.wait()
        yield Usage(prompt_tokens=3, completion_tokens=2)


async def test_with_one_place_every_chats_answer_still_streams_at_once() -> None:
    model = HeldStreamsModel()

    class Overrides(Provider):
        @provide(scope=Scope.APP)
        def chat_model(self) -> ChatModel:
            return model

        @provide(scope=Scope.APP)
        def turn_starts(self) -> TurnStarts:
            return TurnStarts(1)

    async with memory_app(Overrides()) as app:
        chats = [await _user_and_chat(app) for _ in range(CHATS)]
        for owner, chat in chats:
            await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="m1", text="hi"))
        jobs = (await app.turns()).take_all()
        assert len(jobs) == CHATS
        turns = [asyncio.create_task(app.dispatch(job)) for job in jobs]
        async with asyncio.timeout(LONG):
            await model.all_streaming.wait()  # a place held while streaming would stop the second turn here
        model.gate.set()
        async with asyncio.timeout(LONG):
            await asyncio.gather(*turns)

        for owner, chat in chats:
            history = (await app.dispatch(GetChat(owner_id=owner, chat_id=chat))).messages
            assert [m.status for m in history] == [MessageStatus.COMPLETE, MessageStatus.COMPLETE]
            assert [type(f) for f in await _frames(app, owner, chat)].count(AnswerDoneFrame) == 1


async def test_a_place_is_given_back_once_however_often_it_is_released() -> None:
    starts = TurnStarts(1)

    async def enter() -> None:
        async with starts.admit():
            pass

    async with starts.admit() as admission:
        admission.release()
        admission.release()
    async with starts.admit():  # the one place, free again; a second would have been given back above
        waiter = asyncio.create_task(enter())
        for _ in range(5):
            await asyncio.sleep(0)  # a free place is taken without waiting: the waiter would be done
        assert not waiter.done()
    async with asyncio.timeout(LONG):
        await waiter
