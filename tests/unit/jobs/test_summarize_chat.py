"""The rolling summary: older messages folded into the chat context, the recent ones left out, idempotent."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence

from dishka import Provider, Scope, provide

from application.commands import GetChat, SendMessage, SummarizeChat
from application.ports.chat_context_repository import ChatContextRepository
from application.ports.message_repository import MessageRepository
from application.ports.summarizer import Summarizer
from application.ports.unit_of_work import UnitOfWork
from application.summaries.extractive_summarizer import ExtractiveSummarizer
from domain.context import ChatContext
from domain.messages import ChatMessage
from tests.support.memory_app import MemoryApp, memory_app
from tests.unit.jobs.helpers import say, user_and_chat


async def _context(app: MemoryApp, chat: uuid.UUID) -> ChatContext | None:
    async with app.container() as request:
        return await (await request.get(ChatContextRepository)).get(chat)


async def test_messages_beyond_the_recent_window_are_folded_after_each_turn() -> None:
    async with memory_app(summary_keep_recent_messages=2) as app:
        owner, chat = await user_and_chat(app)
        await say(app, owner, chat, "Where should we go in June? Somewhere warm.")
        assert await _context(app, chat) is None  # two messages: both still recent
        await say(app, owner, chat, "How much does a week in Lisbon cost?")
        await say(app, owner, chat, "Book the cheapest hotel.")

        context = await _context(app, chat)
        assert context is not None and context.summarized_through == 4
        lines = context.summary.splitlines()
        assert lines[0] == "user: Where should we go in June?"
        assert lines[2] == "user: How much does a week in Lisbon cost?"
        assert [line.split(":")[0] for line in lines] == ["user", "assistant", "user", "assistant"]
        assert "Book the cheapest hotel" not in context.summary


async def test_summarizing_again_changes_nothing() -> None:
    async with memory_app(summary_keep_recent_messages=0) as app:
        owner, chat = await user_and_chat(app)
        await say(app, owner, chat, "First question about penguins.")
        first = await _context(app, chat)
        again = await app.dispatch(SummarizeChat(owner_id=owner, chat_id=chat))
        assert again == first == await _context(app, chat)
        assert first is not None and first.summarized_through == 2


async def test_folding_stops_before_a_message_still_waiting_for_its_answer() -> None:
    async with memory_app(summary_keep_recent_messages=0) as app:
        owner, chat = await user_and_chat(app)
        await say(app, owner, chat, "Answered question.")
        await say(app, owner, chat, "Unanswered question.", answer=False)
        context = await app.dispatch(SummarizeChat(owner_id=owner, chat_id=chat))
        assert context.summarized_through == 2
        assert "Unanswered" not in context.summary


async def test_a_deleted_or_foreign_chat_is_nothing_to_do() -> None:
    async with memory_app() as app:
        owner, chat = await user_and_chat(app)
        assert await app.dispatch(SummarizeChat(owner_id=uuid.uuid4(), chat_id=chat)) is None
        assert await app.dispatch(SummarizeChat(owner_id=owner, chat_id=uuid.uuid4())) is None


class _HeldSummarizer(ExtractiveSummarizer):
    """Once armed, holds its next call until released: a slow model in the middle of writing a summary."""

    def __init__(self, *, stale: bool = True) -> None:
        super().__init__()
        self.stale = stale
        self.armed = False
        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    async def summarize(self, previous: str, messages: Sequence[ChatMessage]) -> str:
        if self.armed:
            self.armed = False
            self.entered.set()
            await self.release.wait()
            if self.stale:
                return "a stale summary written from an older context"
        return await super().summarize(previous, messages)


class _HeldSummarizerProvider(Provider):
    def __init__(self, summarizer: Summarizer) -> None:
        super().__init__()
        self._summarizer = summarizer

    @provide(scope=Scope.APP)
    def summarizer(self) -> Summarizer:
        return self._summarizer


async def test_a_slow_summary_holds_no_lock_and_yields_to_a_run_that_saved_first() -> None:
    held = _HeldSummarizer()
    async with memory_app(_HeldSummarizerProvider(held), summary_keep_recent_messages=0) as app:
        owner, chat = await user_and_chat(app)
        await say(app, owner, chat, "First question about penguins.")
        held.armed = True
        turn = asyncio.create_task(say(app, owner, chat, "Second question about emperor penguins."))
        await asyncio.wait_for(held.entered.wait(), timeout=60)  # the after-turn summary is mid-model

        # With the slow run still writing, another run of the same chat goes through at once.
        faster = await asyncio.wait_for(app.dispatch(SummarizeChat(owner_id=owner, chat_id=chat)), timeout=60)
        assert faster.summarized_through == 4

        held.release.set()
        await asyncio.wait_for(turn, timeout=60)
        assert await _context(app, chat) == faster
        assert "stale" not in faster.summary


async def test_a_summary_of_messages_an_edit_replaced_meanwhile_is_not_saved() -> None:
    held = _HeldSummarizer(stale=False)
    async with memory_app(_HeldSummarizerProvider(held), summary_keep_recent_messages=0) as app:
        owner, chat = await user_and_chat(app)
        await say(app, owner, chat, "First question about penguins.")
        held.armed = True
        turn = asyncio.create_task(say(app, owner, chat, "Second question about walruses."))
        await asyncio.wait_for(held.entered.wait(), timeout=60)  # folding the walrus turn, model mid-write

        [_, _, walrus, _] = (await app.dispatch(GetChat(owner_id=owner, chat_id=chat))).messages
        edit = await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id="edit-1",
                                              text="Second question about seals.", replaces=walrus.id))
        async with app.container() as request:  # what the chat's processor does before the edit's turn
            await (await request.get(MessageRepository)).supersede(edit)
            await (await request.get(UnitOfWork)).commit()

        held.release.set()
        await asyncio.wait_for(turn, timeout=60)
        await app.run_jobs()
        context = await _context(app, chat)
        assert context is not None and "walruses" not in context.summary
