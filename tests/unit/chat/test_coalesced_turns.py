"""Whole turns with coalesced token frames (a manual timer that never moves unless told): the stored answer is
always exactly the text of the token frames in the delivery log, whether the answer completes or is stopped."""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator, Callable

from dishka import Provider, Scope, provide

from application.commands import CreateChat, GetChat, RegisterUser, ResumeDelivery, SendMessage, StopAnswer
from application.frames import AnswerDoneFrame, ErrorFrame, TokenFrame
from application.ports.chat_model import ChatModel, CompletionRequest, TextDelta, Usage
from application.ports.timer import Timer
from domain.messages import MessageStatus
from domain.stages import Stage
from tests.support.clock import ManualTimer
from tests.support.memory_app import MemoryApp, memory_app

PIECES = [f"t{i} " for i in range(50)]


class ScriptedModel:
    """Yields ``PIECES`` at once; ``after_each(i)`` runs after piece ``i`` was taken (to stop mid-answer)."""

    def __init__(self) -> None:
        self.after_each: Callable[[int], object] | None = None

    @property
    def name(self) -> str:
        return "scripted"

    async def stream(self, request: CompletionRequest) -> AsyncGenerator[TextDelta | Usage, None]:
        for i, piece in enumerate(PIECES):
            yield TextDelta(text=piece)
            if self.after_each is not None:
                await self.after_each(i)  # type: ignore[misc]
        yield Usage(prompt_tokens=3, completion_tokens=len(PIECES))


def providers(model: ScriptedModel, timer: ManualTimer) -> Provider:
    class Overrides(Provider):
        @provide(scope=Scope.APP)
        def chat_model(self) -> ChatModel:
            return model

        @provide(scope=Scope.APP)
        def timer(self) -> Timer:
            return timer

    return Overrides()


async def _turn(app: MemoryApp) -> tuple[uuid.UUID, uuid.UUID, list[object]]:
    user = await app.dispatch(RegisterUser(email=f"{uuid.uuid4().hex[:6]}@example.com", password="a fine passphrase"))
    chat = await app.dispatch(CreateChat(owner_id=user.id, title="Coalesced", stage=Stage.TEST))
    await app.dispatch(SendMessage(owner_id=user.id, chat_id=chat.id, client_msg_id="m1", text="go"))
    await app.run_jobs()
    replay = await app.dispatch(ResumeDelivery(owner_id=user.id, chat_id=chat.id, after_seq=0))
    return user.id, chat.id, list(replay.frames)


async def test_a_fast_answer_is_a_few_frames_and_stored_as_sent() -> None:
    async with memory_app(providers(ScriptedModel(), ManualTimer())) as app:
        owner, chat, frames = await _turn(app)
        tokens = [f.text for f in frames if isinstance(f, TokenFrame)]
        assert tokens == [PIECES[0], "".join(PIECES[1:])]  # the first at once, the rest when the answer ends
        assert isinstance(frames[-1], AnswerDoneFrame)
        history = await app.dispatch(GetChat(owner_id=owner, chat_id=chat))
        assert history.messages[-1].content == "".join(tokens) == "".join(PIECES)


async def test_a_stop_drops_the_text_still_waiting_and_stores_what_was_sent() -> None:
    model, timer = ScriptedModel(), ManualTimer()
    async with memory_app(providers(model, timer)) as app:
        chats: list[tuple[uuid.UUID, uuid.UUID]] = []

        async def stop_midway(i: int) -> None:
            if i == 10:
                timer.advance(0.03)  # the window ends: pieces 1..11 go out with the next piece
            if i == 20:
                owner, chat = chats[0]
                await app.dispatch(StopAnswer(owner_id=owner, chat_id=chat))

        model.after_each = stop_midway
        user = await app.dispatch(RegisterUser(email="stop@example.com", password="a fine passphrase"))
        chat = await app.dispatch(CreateChat(owner_id=user.id, title="Stopped", stage=Stage.TEST))
        chats.append((user.id, chat.id))
        await app.dispatch(SendMessage(owner_id=user.id, chat_id=chat.id, client_msg_id="m1", text="go"))
        await app.run_jobs()
        replay = await app.dispatch(ResumeDelivery(owner_id=user.id, chat_id=chat.id, after_seq=0))
        frames = list(replay.frames)
        tokens = [f.text for f in frames if isinstance(f, TokenFrame)]
        assert isinstance(frames[-1], ErrorFrame) and frames[-1].code == "stopped"
        assert tokens == [PIECES[0], "".join(PIECES[1:12])]  # pieces 12..20 were waiting when the stop came
        history = await app.dispatch(GetChat(owner_id=user.id, chat_id=chat.id))
        answer = history.messages[-1]
        assert answer.status is MessageStatus.INTERRUPTED and answer.content == "".join(tokens)
