"""The chat runtime through the bus on the in-memory twins: accept, answer, resume, retry, stop."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncGenerator

import pytest
from dishka import Provider, Scope, provide

from application.commands import (
    AcknowledgeDelivery,
    CreateChat,
    GetChat,
    OpenChatSession,
    RegisterUser,
    ResumeDelivery,
    SendMessage,
    SetChatStage,
    StopAnswer,
)
from application.frames import AcceptedFrame, AnswerDoneFrame, ErrorFrame, StageChangedFrame, TokenFrame
from application.ports.chat_model import ChatModel, CompletionRequest, TextDelta, Usage
from application.ports.delivery_log import ReplayStatus, SeqAhead
from domain.errors import InvalidInput, NotFound
from domain.messages import MessageStatus
from domain.stages import Stage
from tests.support.memory_app import MemoryApp, memory_app


async def _user_and_chat(app: MemoryApp, stage: Stage = Stage.TEST) -> tuple[uuid.UUID, uuid.UUID]:
    user = await app.dispatch(RegisterUser(email=f"{uuid.uuid4().hex[:6]}@example.com", password="a fine passphrase"))
    chat = await app.dispatch(CreateChat(owner_id=user.id, title="Runtime", stage=stage))
    return user.id, chat.id


async def _frames(app: MemoryApp, owner: uuid.UUID, chat: uuid.UUID, after: int = 0) -> list[object]:
    replay = await app.dispatch(ResumeDelivery(owner_id=owner, chat_id=chat, after_seq=after))
    assert replay.status is ReplayStatus.COMPLETE
    return list(replay.frames)


async def test_a_message_is_accepted_then_answered_once() -> None:
    async with memory_app() as app:
        owner, chat = await _user_and_chat(app)
        message = await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="m1", text=" hi "))
        assert message.content == "hi" and message.status is MessageStatus.PENDING
        assert await app.run_jobs() >= 1
        frames = await _frames(app, owner, chat)
        assert isinstance(frames[0], AcceptedFrame) and frames[0].message_id == message.id
        assert any(isinstance(f, TokenFrame) for f in frames)
        done = frames[-1]
        assert isinstance(done, AnswerDoneFrame) and done.reply_to == message.id
        assert [f.seq for f in frames] == list(range(1, len(frames) + 1))  # type: ignore[attr-defined]


async def test_a_resent_client_msg_id_is_one_turn() -> None:
    async with memory_app() as app:
        owner, chat = await _user_and_chat(app)
        first = await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="m1", text="hi"))
        again = await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="m1", text="hi"))
        assert again.id == first.id
        await app.run_jobs()
        await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="m1", text="hi"))
        await app.run_jobs()
        frames = await _frames(app, owner, chat)
        assert sum(isinstance(f, AnswerDoneFrame) for f in frames) == 1
        assert sum(isinstance(f, AcceptedFrame) for f in frames) == 3


async def test_foreign_chat_and_bad_text_are_refused() -> None:
    async with memory_app() as app:
        owner, chat = await _user_and_chat(app)
        stranger, _ = await _user_and_chat(app)
        with pytest.raises(NotFound):
            await app.dispatch(SendMessage(owner_id=stranger, chat_id=chat, client_msg_id="x", text="hi"))
        with pytest.raises(NotFound):
            await app.dispatch(OpenChatSession(owner_id=stranger, chat_id=chat))
        with pytest.raises(InvalidInput):
            await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="x", text="a" * 9000))
        with pytest.raises(SeqAhead):
            await app.dispatch(AcknowledgeDelivery(owner_id=owner, chat_id=chat, seq=99))


async def test_resume_after_ack_and_from_the_future() -> None:
    async with memory_app() as app:
        owner, chat = await _user_and_chat(app)
        await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="m1", text="hi"))
        await app.run_jobs()
        frames = await _frames(app, owner, chat)
        await app.dispatch(AcknowledgeDelivery(owner_id=owner, chat_id=chat, seq=2))
        rest = await _frames(app, owner, chat, after=2)
        assert rest == frames[2:]
        ahead = await app.dispatch(ResumeDelivery(owner_id=owner, chat_id=chat, after_seq=len(frames) + 5))
        assert ahead.status is ReplayStatus.AHEAD
        gap = await app.dispatch(ResumeDelivery(owner_id=owner, chat_id=chat, after_seq=0))
        assert gap.status is ReplayStatus.GAP  # seq 1..2 were trimmed: the client must reload history


async def test_stage_change_is_announced_and_applies_to_the_next_message() -> None:
    async with memory_app() as app:
        owner, chat = await _user_and_chat(app, Stage.ANSWERING)
        await app.dispatch(SetChatStage(owner_id=owner, chat_id=chat, stage=Stage.TEST))
        await app.dispatch(SetChatStage(owner_id=owner, chat_id=chat, stage=Stage.TEST))  # no change, no frame
        frames = await _frames(app, owner, chat)
        assert frames == [StageChangedFrame(seq=1, stage=Stage.TEST)]


class GatedModel:
    """Yields one token, then waits for the test to open the gate before the rest: a turn caught mid-stream."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.first_token_sent = asyncio.Event()

    @property
    def name(self) -> str:
        return "gated"

    async def stream(self, request: CompletionRequest) -> AsyncGenerator[TextDelta | Usage, None]:
        yield TextDelta(text="Hello")
        self.first_token_sent.set()
        await self.gate.wait()
        yield TextDelta(text=" world")
        yield Usage(prompt_tokens=3, completion_tokens=2)


async def test_stop_mid_answer_interrupts_it_and_a_resend_retries() -> None:
    model = GatedModel()

    class GatedModelProvider(Provider):
        @provide(scope=Scope.APP)
        def chat_model(self) -> ChatModel:
            return model

    async with memory_app(GatedModelProvider()) as app:
        owner, chat = await _user_and_chat(app)
        message = await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="m1", text="hi"))
        [job] = (await app.turns()).take_all()
        turn = asyncio.create_task(app.dispatch(job))
        await model.first_token_sent.wait()
        await app.dispatch(StopAnswer(owner_id=owner, chat_id=chat))
        model.gate.set()
        await turn

        frames = await _frames(app, owner, chat)
        assert not any(isinstance(f, AnswerDoneFrame) for f in frames)
        [stopped] = [f for f in frames if isinstance(f, ErrorFrame)]
        assert stopped.code == "stopped" and stopped.client_msg_id == "m1"
        history = await app.dispatch(GetChat(owner_id=owner, chat_id=chat))
        assert [m.status for m in history.messages] == [MessageStatus.INTERRUPTED, MessageStatus.INTERRUPTED]
        assert history.messages[1].content == "Hello"
        assert history.messages[0].error is not None and history.messages[0].error.code == "stopped"

        resent = await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="m1", text="hi"))
        assert resent.id == message.id
        await app.run_jobs()
        assert isinstance((await _frames(app, owner, chat))[-1], AnswerDoneFrame)
        history = await app.dispatch(GetChat(owner_id=owner, chat_id=chat))
        assert history.messages[0].status is MessageStatus.COMPLETE and history.messages[0].error is None
        assert history.messages[-1].content == "Hello world"
