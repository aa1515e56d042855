"""The sweeper re-queues work whose job vanished, and leaves alone work that is merely waiting."""

from __future__ import annotations

from application.commands import (
    GetChat,
    GetDocument,
    IndexDocument,
    ProcessInbox,
    ResumeDelivery,
    SweepStuckWork,
    UploadDocument,
)
from application.frames import AnswerDoneFrame
from application.ports.inbox import Inbox
from domain.documents import DocumentStatus
from domain.messages import MessageStatus
from tests.support.clock import ManualClock
from tests.support.memory_app import memory_app
from tests.unit.jobs.helpers import ManualClockProvider, say, user_and_chat

STUCK_AFTER = 300.0
UNANSWERED_AFTER = 30.0
SWEEP = {"stuck_after_seconds": STUCK_AFTER, "unanswered_after_seconds": UNANSWERED_AFTER}


async def test_a_document_whose_job_vanished_is_indexed_after_the_sweep() -> None:
    clock = ManualClock()
    async with memory_app(ManualClockProvider(clock), **SWEEP) as app:
        owner, _ = await user_and_chat(app)
        document = await app.dispatch(UploadDocument(owner_id=owner, filename="notes.md", content_type="",
                                                     data=b"# Notes\n\nPenguins live in the south."))
        queue = await app.jobs()
        clock.advance(STUCK_AFTER + 1)
        report = await app.dispatch(SweepStuckWork())
        assert report.documents == 0  # its job is still queued: waiting, not stuck

        queue.take_all()  # the job is lost (a queue flushed, a process killed)
        report = await app.dispatch(SweepStuckWork())
        assert report.documents == 1
        assert list(queue.jobs.values()) == [IndexDocument(owner_id=owner, document_id=document.id)]
        await app.run_jobs()
        indexed = await app.dispatch(GetDocument(owner_id=owner, document_id=document.id))
        assert indexed.status is DocumentStatus.READY


async def test_recent_work_is_left_alone() -> None:
    clock = ManualClock()
    async with memory_app(ManualClockProvider(clock), **SWEEP) as app:
        owner, chat = await user_and_chat(app)
        await app.dispatch(UploadDocument(owner_id=owner, filename="a.txt", content_type="", data=b"text"))
        await say(app, owner, chat, "still fresh", answer=False)
        (await app.jobs()).take_all()
        (await app.turns()).take_all()
        clock.advance(UNANSWERED_AFTER - 1)
        report = await app.dispatch(SweepStuckWork())
        assert (report.documents, report.messages) == (0, 0)
        clock.advance(STUCK_AFTER - UNANSWERED_AFTER)  # the message is now overdue; the document not yet
        report = await app.dispatch(SweepStuckWork())
        assert (report.documents, report.messages) == (0, 1)


async def test_an_unanswered_message_is_pushed_again_and_answered_once() -> None:
    clock = ManualClock()
    async with memory_app(ManualClockProvider(clock), **SWEEP) as app:
        owner, chat = await user_and_chat(app)
        message = await say(app, owner, chat, "Is anyone there?", answer=False)
        (await app.turns()).take_all()  # the process that should answer died before it started
        clock.advance(UNANSWERED_AFTER + 1)

        report = await app.dispatch(SweepStuckWork())
        assert report.messages == 1
        assert list((await app.jobs()).jobs.values()) == [ProcessInbox(owner_id=owner, chat_id=chat)]
        async with app.container() as request:
            assert await (await request.get(Inbox)).depth(chat) == 2  # the original item and the re-push
        await app.run_jobs()

        history = await app.dispatch(GetChat(owner_id=owner, chat_id=chat))
        assert [m.status for m in history.messages] == [MessageStatus.COMPLETE, MessageStatus.COMPLETE]
        assert history.messages[1].reply_to == message.id
        assert (await app.dispatch(SweepStuckWork())).messages == 0
        replay = await app.dispatch(ResumeDelivery(owner_id=owner, chat_id=chat, after_seq=0))
        assert sum(isinstance(frame, AnswerDoneFrame) for frame in replay.frames) == 1
