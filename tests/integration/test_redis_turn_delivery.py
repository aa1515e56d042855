"""Whole turns with the chat state in Redis (delivery log, frame bus, stop signals; persistence in memory): the
frames a socket's subscription receives are exactly the stored answer, published by the append script itself,
and a stop from another client ends a fast answer promptly. Everything waits on frames, never on time."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncGenerator, AsyncIterator

from dishka import Provider, Scope, provide

from adapters.redis.client import connect_redis
from adapters.redis.stop_signals import RedisStopSignals
from application.commands import CreateChat, GetChat, RegisterUser, ResumeDelivery, SendMessage
from application.frames import AnswerDoneFrame, ErrorFrame, ServerFrame, TokenFrame
from application.ports.chat_model import ChatModel, CompletionRequest, TextDelta, Usage
from application.ports.frame_bus import FrameBus
from domain.messages import MessageStatus
from domain.stages import Stage
from tests.support.memory_app import MemoryApp, memory_app
from tests.support.redis_monitor import round_trips

DEADLINE = 60.0


class EndlessModel:
    """As fast as the loop takes them, up to ``limit`` tokens; ``closed`` is set when the turn closes the stream."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.closed = asyncio.Event()

    @property
    def name(self) -> str:
        return "endless"

    async def stream(self, request: CompletionRequest) -> AsyncGenerator[TextDelta | Usage, None]:
        try:
            for i in range(self.limit):
                yield TextDelta(text=f"w{i} ")
            yield Usage(prompt_tokens=3, completion_tokens=self.limit)
        finally:
            self.closed.set()


def model_provider(model: EndlessModel) -> Provider:
    class ModelProvider(Provider):
        @provide(scope=Scope.APP)
        def chat_model(self) -> ChatModel:
            return model

    return ModelProvider()


async def _chat(app: MemoryApp) -> tuple[uuid.UUID, uuid.UUID]:
    user = await app.dispatch(RegisterUser(email=f"{uuid.uuid4().hex[:6]}@example.com", password="a fine passphrase"))
    chat = await app.dispatch(CreateChat(owner_id=user.id, title="Redis", stage=Stage.TEST))
    return user.id, chat.id


async def _until_end(frames: AsyncIterator[ServerFrame], into: list[ServerFrame]) -> ServerFrame:
    async with asyncio.timeout(DEADLINE):
        async for frame in frames:
            into.append(frame)
            if isinstance(frame, AnswerDoneFrame | ErrorFrame):
                return frame
    raise AssertionError("the subscription ended before the answer did")


async def _stored_answer(app: MemoryApp, owner: uuid.UUID, chat: uuid.UUID) -> tuple[str, MessageStatus]:
    history = await app.dispatch(GetChat(owner_id=owner, chat_id=chat))
    return history.messages[-1].content, history.messages[-1].status


async def test_a_redis_turn_delivers_exactly_the_stored_answer_in_one_round_trip_per_frame(redis_url: str) -> None:
    async with memory_app(model_provider(EndlessModel(limit=300)), redis_url=redis_url) as app:
        owner, chat = await _chat(app)
        bus = await app.container.get(FrameBus)
        received: list[ServerFrame] = []
        async with round_trips(redis_url) as seen, bus.subscribe(chat) as frames:
            await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="m1", text="go"))
            await app.run_jobs()
            end = await _until_end(frames, received)
        assert isinstance(end, AnswerDoneFrame)
        assert [frame.seq for frame in received] == list(range(1, len(received) + 1))
        text = "".join(frame.text for frame in received if isinstance(frame, TokenFrame))
        assert text == "".join(f"w{i} " for i in range(300))
        assert await _stored_answer(app, owner, chat) == (text, MessageStatus.COMPLETE)
        assert seen.count("PUBLISH") == 0  # every frame was published by its append script
        replay = await app.dispatch(ResumeDelivery(owner_id=owner, chat_id=chat, after_seq=0))
        assert list(replay.frames) == received


async def test_a_stop_from_another_client_ends_a_fast_answer_and_keeps_what_was_sent(redis_url: str) -> None:
    model = EndlessModel(limit=10_000_000)
    async with memory_app(model_provider(model), redis_url=redis_url) as app:
        owner, chat = await _chat(app)
        bus = await app.container.get(FrameBus)
        received: list[ServerFrame] = []
        async with bus.subscribe(chat) as frames:
            await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="m1", text="go"))
            [turn_command] = (await app.turns()).take_all()
            turn = asyncio.create_task(app.dispatch(turn_command))
            while not any(isinstance(frame, TokenFrame) for frame in received):
                received.append(await asyncio.wait_for(anext(frames), DEADLINE))
            other_process = connect_redis(redis_url)  # the stop comes from a socket held elsewhere
            await RedisStopSignals(other_process).request_stop(chat)
            await other_process.aclose()
            end = await _until_end(frames, received)
            await asyncio.wait_for(turn, DEADLINE)
        assert isinstance(end, ErrorFrame) and end.code == "stopped"
        assert model.closed.is_set()
        text = "".join(frame.text for frame in received if isinstance(frame, TokenFrame))
        words = text.split()
        assert words and words == [f"w{i}" for i in range(len(words))]  # what was sent before the stop, in order
        assert await _stored_answer(app, owner, chat) == (text, MessageStatus.INTERRUPTED)
