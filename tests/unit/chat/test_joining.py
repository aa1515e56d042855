"""Every socket of a chat sees the whole conversation: questions as frames, and a client that joins mid-answer
gets the answer from its first frame (the join procedure of ``docs/websocket.md``), on the in-memory twins."""

from __future__ import annotations

import asyncio
import uuid

from dishka import Provider, Scope, provide

from application.commands import (
    AcknowledgeDelivery,
    CreateChat,
    GetChat,
    OpenChatSession,
    RegisterUser,
    ResumeDelivery,
    SendMessage,
)
from application.frames import AcceptedFrame, AnswerDoneFrame, AnswerStartedFrame, ErrorFrame, TokenFrame
from application.ports.chat_model import ChatModel
from domain.errors import ServiceUnavailable
from domain.messages import MessageStatus
from domain.stages import Stage
from tests.support.memory_app import MemoryApp, memory_app
from tests.unit.chat.test_chat_runtime import GatedModel


def _model_provider(model: object) -> Provider:
    class ModelProvider(Provider):
        @provide(scope=Scope.APP)
        def chat_model(self) -> ChatModel:
            return model  # type: ignore[return-value]

    return ModelProvider()


async def _user_and_chat(app: MemoryApp) -> tuple[uuid.UUID, uuid.UUID]:
    user = await app.dispatch(RegisterUser(email=f"{uuid.uuid4().hex[:6]}@example.com", password="a fine passphrase"))
    chat = await app.dispatch(CreateChat(owner_id=user.id, title="Joining", stage=Stage.TEST))
    return user.id, chat.id


async def test_a_question_is_a_frame_with_its_text_and_position_and_a_resend_names_the_same_message() -> None:
    async with memory_app() as app:
        owner, chat = await _user_and_chat(app)
        first = await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="a", text=" first "))
        await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="a", text="first"))
        replay = await app.dispatch(ResumeDelivery(owner_id=owner, chat_id=chat, after_seq=0))
        accepted = [f for f in replay.frames if isinstance(f, AcceptedFrame)]
        assert [(f.message_id, f.text, f.position, f.status) for f in accepted] == [
            (first.id, "first", 1, MessageStatus.PENDING)
        ] * 2


async def test_a_client_joining_mid_answer_gets_it_from_its_first_frame() -> None:
    model = GatedModel()
    async with memory_app(_model_provider(model)) as app:
        owner, chat = await _user_and_chat(app)
        await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="m1", text="hi"))
        [job] = (await app.turns()).take_all()
        turn = asyncio.create_task(app.dispatch(job))
        await model.first_token_sent.wait()
        present = await app.dispatch(ResumeDelivery(owner_id=owner, chat_id=chat, after_seq=0))
        await app.dispatch(AcknowledgeDelivery(owner_id=owner, chat_id=chat, seq=present.snapshot.last_seq))

        snapshot = await app.dispatch(OpenChatSession(owner_id=owner, chat_id=chat))
        history = await app.dispatch(GetChat(owner_id=owner, chat_id=chat))
        joined = await app.dispatch(ResumeDelivery(owner_id=owner, chat_id=chat, after_seq=snapshot.join_seq))
        model.gate.set()
        await turn
        rest = await app.dispatch(ResumeDelivery(owner_id=owner, chat_id=chat, after_seq=snapshot.last_seq))

        assert [m.role.value for m in history.messages] == ["user"], "history holds finished messages only"
        frames = [*joined.frames, *rest.frames]
        assert isinstance(frames[0], AnswerStartedFrame) and frames[0].reply_to == history.messages[0].id
        done = frames[-1]
        assert isinstance(done, AnswerDoneFrame)
        text = "".join(f.text for f in frames if isinstance(f, TokenFrame) and f.message_id == done.message_id)
        stored = (await app.dispatch(GetChat(owner_id=owner, chat_id=chat))).messages[-1]
        assert (stored.id, stored.content, text) == (done.message_id, "Hello world", "Hello world")


class DownModel:
    name = "down"

    async def stream(self, request: object):  # type: ignore[no-untyped-def]
        raise ServiceUnavailable("the model is not reachable")
        yield  # pragma: no cover


async def test_a_failed_turn_keeps_its_error_in_history() -> None:
    async with memory_app(_model_provider(DownModel())) as app:
        owner, chat = await _user_and_chat(app)
        await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="m1", text="hi"))
        await app.run_jobs()
        replay = await app.dispatch(ResumeDelivery(owner_id=owner, chat_id=chat, after_seq=0))
        [error] = [f for f in replay.frames if isinstance(f, ErrorFrame)]
        [question] = (await app.dispatch(GetChat(owner_id=owner, chat_id=chat))).messages
        assert question.status is MessageStatus.INTERRUPTED and question.error is not None
        assert (question.error.code, question.error.message, question.error.retryable) == (
            error.code,
            error.message,
            True,
        )
        assert (await app.dispatch(OpenChatSession(owner_id=owner, chat_id=chat))).turn_seq == 0
