"""Every job is safe to run twice (arq delivers at least once): the second run leaves the same state.

The jobs run on a real arq worker (burst mode) against PostgreSQL; then the same commands are queued again
under the same keys, as a redelivery or a sweeper would, and run again.
"""

from __future__ import annotations

import asyncio
import uuid

import msgspec
from sqlalchemy import text

from adapters.jobs.in_process_turn_scheduler import InProcessTurnScheduler
from application.commands import (
    CreateChat,
    GetChat,
    GetUsage,
    IndexDocument,
    RecordTokenUsage,
    SendMessage,
    SummarizeChat,
)
from application.ports.chat_context_repository import ChatContextRepository
from application.ports.job_queue import JobQueue
from application.ports.turn_scheduler import TurnScheduler
from application.use_cases.jobs.job_keys import index_key, summary_key, usage_key
from domain.context import ChatContext
from domain.documents import DocumentStatus
from domain.messages import Role
from domain.stages import Stage
from entrypoints.worker import run_worker
from tests.integration.jobs.conftest import Stack, markdown_book


async def _burst(stack: Stack) -> int:
    settings = msgspec.structs.replace(stack.settings, summary_keep_recent_messages=0)
    worker = await run_worker(settings, burst=True, handle_signals=False, sweep=False)
    assert worker.jobs_failed == 0
    return worker.jobs_complete


async def _context(stack: Stack, chat_id: uuid.UUID) -> ChatContext | None:
    async with stack.container() as request:
        return await (await request.get(ChatContextRepository)).get(chat_id)


async def _chunks(stack: Stack, document_id: uuid.UUID) -> list[tuple[int, str]]:
    async with stack.engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT ordinal, text FROM chunks WHERE document_id = :id ORDER BY ordinal"), {"id": document_id})
        return [(row.ordinal, row.text) for row in rows]


async def test_indexing_twice_leaves_one_identical_set_of_chunks(stack: Stack) -> None:
    owner = await stack.user()
    document = await stack.upload(owner, "book.md", markdown_book(sections=30))
    assert await _burst(stack) == 1
    first = await _chunks(stack, document.id)

    command = IndexDocument(owner_id=owner, document_id=document.id)
    jobs = await stack.container.get(JobQueue)
    await jobs.enqueue(command, key=index_key(document.id))  # finished, so the key is accepted again
    assert await _burst(stack) == 1
    assert await _chunks(stack, document.id) == first

    await asyncio.gather(stack.dispatch(command), stack.dispatch(command))  # even at the same time
    assert await _chunks(stack, document.id) == first
    assert (await stack.document(owner, document.id)).status is DocumentStatus.READY


async def test_token_usage_and_summaries_run_twice_count_once(summarizing_stack: Stack) -> None:
    stack = summarizing_stack
    owner = await stack.user()
    chat = await stack.dispatch(CreateChat(owner_id=owner, title="Plans", stage=Stage.TEST))
    for n, question in enumerate(["Where do penguins live?", "And what do they eat?"]):
        await stack.dispatch(SendMessage(owner_id=owner, chat_id=chat.id, client_msg_id=f"m{n}", text=question))
        turns = await stack.container.get(TurnScheduler)
        assert isinstance(turns, InProcessTurnScheduler)
        await turns.drain()
    assert await _burst(stack) == 2  # per answer a summary (its token usage was stored with it)
    usage = await stack.dispatch(GetUsage(user_id=owner))
    context = await _context(stack, chat.id)
    assert usage.total.total_tokens > 0 and [c.chat_id for c in usage.chats] == [chat.id]
    assert context is not None and context.summarized_through == 4

    answers = [m for m in (await stack.dispatch(GetChat(owner_id=owner, chat_id=chat.id))).messages
               if m.role is Role.ASSISTANT]
    jobs = await stack.container.get(JobQueue)
    for answer in answers:
        await jobs.enqueue(RecordTokenUsage(owner_id=owner, chat_id=chat.id, message_id=answer.id,
                                            prompt_tokens=answer.prompt_tokens,
                                            completion_tokens=answer.completion_tokens, estimated=True),
                           key=usage_key(answer.id))
        await jobs.enqueue(SummarizeChat(owner_id=owner, chat_id=chat.id), key=summary_key(answer.id))
    assert await _burst(stack) == 4
    assert await stack.dispatch(GetUsage(user_id=owner)) == usage
    assert await _context(stack, chat.id) == context
