"""Two summaries of one chat never interleave their folds, and neither holds the chat's lock (nor a
transaction) while the model writes: both jobs of a real arq worker write at once, then exactly one fold is
saved and the other, built on the same older context, is dropped. Proven with a deliberately slow summary
that watches PostgreSQL's advisory locks while it works."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

import msgspec
from dishka import Provider, Scope, provide
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.jobs.in_process_turn_scheduler import InProcessTurnScheduler
from adapters.postgres.chat_job_lock import CHAT_JOB_LOCK_SPACE
from application.commands import CreateChat, SendMessage
from application.ports.chat_context_repository import ChatContextRepository
from application.ports.summarizer import Summarizer
from application.ports.turn_scheduler import TurnScheduler
from domain.messages import ChatMessage
from domain.stages import Stage
from entrypoints.worker import run_worker
from tests.integration.jobs.conftest import Stack

HELD_CHAT_LOCKS = text(
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = :space"
).bindparams(space=CHAT_JOB_LOCK_SPACE)


class SlowSummarizer:
    """Waits, with a generous deadline, until both summaries are writing at once, then asks PostgreSQL whether
    a chat job lock is held."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.active = 0
        self.most_active = 0
        self.calls = 0
        self.checked = 0
        self.saw_a_held_lock = False
        self.both_writing = asyncio.Event()
        self.both_checked = asyncio.Event()

    async def summarize(self, previous: str, messages: Sequence[ChatMessage]) -> str:
        self.calls += 1
        self.active += 1
        self.most_active = max(self.most_active, self.active)
        if self.active == 2:
            self.both_writing.set()
        try:
            await _within(60.0, self.both_writing)
            if self.active == 2:  # both are writing: neither may hold the chat's lock (nor a transaction)
                async with self.engine.connect() as connection:
                    self.saw_a_held_lock |= (await connection.scalar(HELD_CHAT_LOCKS) or 0) > 0
            self.checked += 1
            if self.checked == 2:
                self.both_checked.set()
            await _within(60.0, self.both_checked)  # neither saves while the other still looks
            return f"{len(messages)} messages about penguins"
        finally:
            self.active -= 1


async def _within(seconds: float, event: asyncio.Event) -> None:
    """Waits for ``event``, or gives up after ``seconds`` (a lone summary then goes on, and the test fails)."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), timeout=seconds)


def summarizer_override(summarizer: SlowSummarizer) -> Provider:
    class SummarizerProvider(Provider):
        @provide(scope=Scope.APP)
        def summarizer(self) -> Summarizer:
            return summarizer

    return SummarizerProvider()


async def test_two_summaries_of_one_chat_write_at_once_and_one_fold_is_kept(summarizing_stack: Stack) -> None:
    stack = summarizing_stack
    owner = await stack.user()
    chat = await stack.dispatch(CreateChat(owner_id=owner, title="Penguins", stage=Stage.TEST))
    for n in range(2):
        await stack.dispatch(SendMessage(owner_id=owner, chat_id=chat.id, client_msg_id=f"m{n}", text=f"Q{n}?"))
        turns = await stack.container.get(TurnScheduler)
        assert isinstance(turns, InProcessTurnScheduler)
        await turns.drain()
    # Queued now: per answer a summary job (two summaries of the same chat); usage was stored with each answer.

    slow = SlowSummarizer(stack.engine)
    settings = msgspec.structs.replace(stack.settings, summary_keep_recent_messages=0, job_concurrency=4)
    worker = await run_worker(settings, summarizer_override(slow), burst=True, handle_signals=False, sweep=False)

    assert worker.jobs_complete == 2 and worker.jobs_failed == 0
    assert slow.most_active == 2 and slow.calls == 2  # both wrote at once: no lock is held across the model
    assert not slow.saw_a_held_lock
    async with stack.container() as request:
        context = await (await request.get(ChatContextRepository)).get(chat.id)
    assert context is not None and (context.summary, context.summarized_through) == ("4 messages about penguins", 4)
