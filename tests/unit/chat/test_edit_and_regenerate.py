"""Regenerate and edit-and-resend through the bus on the in-memory twins: what the history and the frames say."""

from __future__ import annotations

import asyncio
import uuid

import msgspec
import pytest
from dishka import Provider, Scope, provide

from application.commands import GetChat, RegenerateAnswer, SendMessage
from application.frames import (
    AcceptedFrame,
    AnswerDoneFrame,
    AnswerStartedFrame,
    AnyServerFrame,
    ClientFrame,
    EditFrame,
    ErrorFrame,
    RegenerateFrame,
    ReplacedFrame,
)
from application.ports.chat_context_repository import ChatContextRepository
from application.ports.chat_model import ChatModel
from application.ports.unit_of_work import UnitOfWork
from domain.context import ChatContext
from domain.errors import Conflict, MessageReplaced, NotFound
from domain.messages import ChatMessage, MessageStatus, Role
from tests.support.memory_app import MemoryApp, memory_app
from tests.unit.chat.test_chat_runtime import GatedModel, _frames, _user_and_chat


async def _history(app: MemoryApp, owner: uuid.UUID, chat: uuid.UUID) -> list[ChatMessage]:
    return list((await app.dispatch(GetChat(owner_id=owner, chat_id=chat))).messages)


async def _ask(app: MemoryApp, owner: uuid.UUID, chat: uuid.UUID, client_msg_id: str, text: str) -> ChatMessage:
    message: ChatMessage = await app.dispatch(
        SendMessage(owner_id=owner, chat_id=chat, client_msg_id=client_msg_id, text=text)
    )
    await app.run_jobs()
    return message


async def test_regenerate_answers_the_last_question_again_once() -> None:
    async with memory_app() as app:
        owner, chat = await _user_and_chat(app)
        question = await _ask(app, owner, chat, "m1", "What is pgvector?")
        [_, first_answer] = await _history(app, owner, chat)

        again = RegenerateAnswer(owner_id=owner, chat_id=chat, client_msg_id="r1", message_id=question.id)
        redo = await app.dispatch(again)
        assert (redo.content, redo.replaces, redo.status) == ("What is pgvector?", question.id, MessageStatus.PENDING)
        await app.run_jobs()
        assert (await app.dispatch(again)).id == redo.id, "a replayed regenerate is the same question"
        await app.run_jobs()

        history = await _history(app, owner, chat)
        assert (history[0].id, history[0].role) == (redo.id, Role.USER)
        assert len(history) == 2 and history[1].reply_to == redo.id and history[1].id != first_answer.id
        frames = await _frames(app, owner, chat)
        replaced = [f for f in frames if isinstance(f, ReplacedFrame)]
        assert replaced == [ReplacedFrame(seq=replaced[0].seq, message_ids=[question.id, first_answer.id], by=redo.id)]
        started = next(f for f in frames if isinstance(f, AnswerStartedFrame) and f.reply_to == redo.id)
        assert replaced[0].seq < started.seq, "clients drop the old answer before the new one starts"
        assert sum(isinstance(f, AnswerDoneFrame) for f in frames) == 2
        accepted = [f for f in frames if isinstance(f, AcceptedFrame) and f.client_msg_id == "r1"]
        assert len(accepted) == 2 and all(f.replaces == question.id for f in accepted)


async def test_only_the_last_visible_question_can_be_regenerated() -> None:
    async with memory_app() as app:
        owner, chat = await _user_and_chat(app)
        first = await _ask(app, owner, chat, "m1", "one")
        await _ask(app, owner, chat, "m2", "two")
        with pytest.raises(Conflict):
            await app.dispatch(RegenerateAnswer(owner_id=owner, chat_id=chat, client_msg_id="r1", message_id=first.id))
        answer = (await _history(app, owner, chat))[1]
        with pytest.raises(NotFound):
            await app.dispatch(RegenerateAnswer(owner_id=owner, chat_id=chat, client_msg_id="r2", message_id=answer.id))
        stranger, _ = await _user_and_chat(app)
        with pytest.raises(NotFound):
            await app.dispatch(
                RegenerateAnswer(owner_id=stranger, chat_id=chat, client_msg_id="r3", message_id=first.id)
            )


async def test_an_edit_replaces_the_question_and_everything_after_it() -> None:
    async with memory_app() as app:
        owner, chat = await _user_and_chat(app)
        q1 = await _ask(app, owner, chat, "m1", "first")
        await _ask(app, owner, chat, "m2", "second")
        edit = SendMessage(owner_id=owner, chat_id=chat, client_msg_id="e1", text="first, better", replaces=q1.id)
        edited = await app.dispatch(edit)
        await app.run_jobs()
        assert (await app.dispatch(edit)).id == edited.id
        await app.run_jobs()

        history = await _history(app, owner, chat)
        assert [(m.role, m.content if m.role is Role.USER else m.reply_to) for m in history] == [
            (Role.USER, "first, better"),
            (Role.ASSISTANT, edited.id),
        ]
        assert sum(isinstance(f, AnswerDoneFrame) for f in await _frames(app, owner, chat)) == 3

        with pytest.raises(MessageReplaced):  # a tab replaying its old question after reconnecting
            await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="m2", text="second"))
        with pytest.raises(MessageReplaced):  # a second tab editing what the first already replaced
            await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="e2", text="x", replaces=q1.id))
        with pytest.raises(NotFound):
            await app.dispatch(
                SendMessage(owner_id=owner, chat_id=chat, client_msg_id="e3", text="x", replaces=history[1].id)
            )
        assert await _history(app, owner, chat) == history


def _gated(model: GatedModel) -> Provider:
    class GatedModelProvider(Provider):
        @provide(scope=Scope.APP)
        def chat_model(self) -> ChatModel:
            return model

    return GatedModelProvider()


async def test_editing_the_question_being_answered_stops_it_and_skips_the_dropped_ones() -> None:
    model = GatedModel()
    async with memory_app(_gated(model)) as app:
        owner, chat = await _user_and_chat(app)
        q1 = await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="m1", text="one"))
        [job] = (await app.turns()).take_all()
        turn = asyncio.create_task(app.dispatch(job))
        await model.first_token_sent.wait()
        q2 = await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="m2", text="two"))
        edited = await app.dispatch(
            SendMessage(owner_id=owner, chat_id=chat, client_msg_id="e1", text="uno", replaces=q1.id)
        )
        model.gate.set()
        await asyncio.wait_for(turn, 30)
        await app.run_jobs()

        frames = await _frames(app, owner, chat)
        stopped = [f for f in frames if isinstance(f, ErrorFrame)]
        assert [(f.code, f.client_msg_id) for f in stopped] == [("stopped", "m1")]
        assert not any(isinstance(f, AnswerStartedFrame) and f.reply_to == q2.id for f in frames), "q2 was dropped"
        [replaced] = [f for f in frames if isinstance(f, ReplacedFrame)]
        partial = next(f.message_id for f in frames if isinstance(f, AnswerStartedFrame) and f.reply_to == q1.id)
        assert replaced.message_ids == [q1.id, q2.id, partial]
        history = await _history(app, owner, chat)
        assert [(m.content, m.status) for m in history] == [
            ("uno", MessageStatus.COMPLETE),
            ("Hello world", MessageStatus.COMPLETE),
        ]
        assert history[0].id == edited.id


async def test_editing_a_waiting_question_lets_the_earlier_answer_finish() -> None:
    model = GatedModel()
    async with memory_app(_gated(model)) as app:
        owner, chat = await _user_and_chat(app)
        await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="m1", text="one"))
        [job] = (await app.turns()).take_all()
        turn = asyncio.create_task(app.dispatch(job))
        await model.first_token_sent.wait()
        q2 = await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="m2", text="two"))
        await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="e1", text="deux", replaces=q2.id))
        model.gate.set()
        await asyncio.wait_for(turn, 30)
        await app.run_jobs()

        assert not any(isinstance(f, ErrorFrame) for f in await _frames(app, owner, chat))
        history = await _history(app, owner, chat)
        assert [(m.content, m.status) for m in history] == [  # in position order: both questions came first
            ("one", MessageStatus.COMPLETE),
            ("deux", MessageStatus.COMPLETE),
            ("Hello world", MessageStatus.COMPLETE),
            ("Hello world", MessageStatus.COMPLETE),
        ]
        assert history[2].reply_to == history[0].id and history[3].reply_to == history[1].id


def test_replaced_and_edit_frames_survive_the_wire() -> None:
    """The Redis delivery log and relay decode stored frames as ``AnyServerFrame``; clients send ``ClientFrame``."""
    replaced = ReplacedFrame(seq=4, message_ids=[uuid.uuid4(), uuid.uuid4()], by=uuid.uuid4())
    assert msgspec.json.decode(msgspec.json.encode(replaced), type=AnyServerFrame) == replaced
    question = uuid.uuid4()
    edit = msgspec.json.decode(
        f'{{"type":"edit","client_msg_id":"e1","message_id":"{question}","text":"new"}}', type=ClientFrame
    )
    assert edit == EditFrame(client_msg_id="e1", message_id=question, text="new")
    again = msgspec.json.decode(
        f'{{"type":"regenerate","client_msg_id":"r1","message_id":"{question}"}}', type=ClientFrame
    )
    assert again == RegenerateFrame(client_msg_id="r1", message_id=question)
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode('{"type":"regenerate","client_msg_id":"r1"}', type=ClientFrame)


async def test_an_edit_of_a_summarized_question_clears_the_rolling_summary() -> None:
    async with memory_app() as app:
        owner, chat = await _user_and_chat(app)
        q1 = await _ask(app, owner, chat, "m1", "old topic")
        await _ask(app, owner, chat, "m2", "later topic")
        async with app.container() as request:
            await (await request.get(ChatContextRepository)).save(
                ChatContext(chat_id=chat, summary="They talked about the old topic.", summarized_through=2)
            )
            await (await request.get(UnitOfWork)).commit()

        await app.dispatch(
            SendMessage(owner_id=owner, chat_id=chat, client_msg_id="e1", text="new topic", replaces=q1.id)
        )
        await app.run_jobs()
        async with app.container() as request:
            context = await (await request.get(ChatContextRepository)).get(chat)
        assert context is not None and "old topic" not in context.summary and context.summarized_through == 0
