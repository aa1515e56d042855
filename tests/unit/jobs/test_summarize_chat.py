"""The rolling summary: older messages folded into the chat context, the recent ones left out, idempotent."""

from __future__ import annotations

import uuid

from application.commands import SummarizeChat
from application.ports.chat_context_repository import ChatContextRepository
from domain.context import ChatContext
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
