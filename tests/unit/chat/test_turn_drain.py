"""Draining the turn scheduler on SIGTERM: running turns may finish, new and unfinished ones are handed back
(queued for another process at once), and `/ready` fails from the first moment."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from adapters.inprocess.deferred_job_queue import DeferredJobQueue
from adapters.jobs.in_process_turn_scheduler import InProcessTurnScheduler
from adapters.prometheus.telemetry import PrometheusTelemetry
from application.commands import Command, ProcessInbox
from application.retries import JobRetryRules
from entrypoints.drain import CLOSE_SERVICE_RESTART, Drain, handed_back_key
from entrypoints.readiness import ReadinessProbe
from tests.support.memory_app import memory_settings

FAST = JobRetryRules(max_tries=3, base_delay=0.001, max_delay=0.001)
LONG = 30.0


def _turn() -> ProcessInbox:
    return ProcessInbox(owner_id=uuid.uuid4(), chat_id=uuid.uuid4())


async def test_a_running_turn_finishes_and_new_turns_are_handed_back_at_once() -> None:
    started, release = asyncio.Event(), asyncio.Event()
    finished: list[Command] = []

    async def dispatch(command: Command) -> None:
        started.set()
        await release.wait()
        finished.append(command)

    scheduler = InProcessTurnScheduler(dispatch, concurrency=4, rules=FAST)
    running, late = _turn(), _turn()
    await scheduler.schedule(running)
    async with asyncio.timeout(LONG):
        await started.wait()
    handed: list[ProcessInbox] = []

    async def hand_back(command: ProcessInbox) -> None:
        handed.append(command)

    draining = asyncio.create_task(scheduler.drain_within(LONG, hand_back))
    await asyncio.sleep(0)
    await scheduler.schedule(late)
    assert handed == [late]  # not started here: queued for another process right away
    release.set()
    async with asyncio.timeout(LONG):
        assert await draining == 0
    assert finished == [running] and handed == [late]


async def test_a_turn_still_running_at_the_deadline_is_cancelled_and_its_chat_handed_back() -> None:
    started = asyncio.Event()
    cancelled: list[Command] = []

    async def dispatch(command: Command) -> None:
        started.set()
        try:
            await asyncio.Event().wait()  # an answer that would stream for ever
        except asyncio.CancelledError:
            cancelled.append(command)
            raise

    scheduler = InProcessTurnScheduler(dispatch, concurrency=4, rules=FAST)
    stuck = _turn()
    await scheduler.schedule(stuck)
    await scheduler.schedule(ProcessInbox(owner_id=stuck.owner_id, chat_id=stuck.chat_id))  # same chat, queued
    async with asyncio.timeout(LONG):
        await started.wait()
    handed: list[ProcessInbox] = []

    async def hand_back(command: ProcessInbox) -> None:
        handed.append(command)

    async with asyncio.timeout(LONG):
        assert await scheduler.drain_within(0.05, hand_back) == 1
    assert stuck in cancelled
    assert handed == [stuck]  # once per chat: one hand-back answers everything in the chat's inbox
    assert scheduler.running == 0


class _FakeSocket:
    def __init__(self) -> None:
        self.closed_with: tuple[int, str] | None = None

    async def close(self, code: int, reason: str) -> None:
        self.closed_with = (code, reason)


async def test_the_drain_fails_readiness_at_once_and_closes_sockets_with_1012_after_the_turns() -> None:
    release = asyncio.Event()
    started = asyncio.Event()

    async def dispatch(command: Command) -> None:
        started.set()
        await release.wait()

    scheduler = InProcessTurnScheduler(dispatch, concurrency=4, rules=FAST)
    jobs = DeferredJobQueue()
    telemetry = PrometheusTelemetry()
    drain = Drain(scheduler, jobs, telemetry, memory_settings(drain_seconds=LONG))
    probe = ReadinessProbe({"serving": drain.status})
    assert (await probe.check()).ready
    socket: Any = _FakeSocket()
    late = _turn()
    async with drain.socket(socket):
        await scheduler.schedule(_turn())
        async with asyncio.timeout(LONG):
            await started.wait()
        draining = asyncio.create_task(drain.run())
        await asyncio.sleep(0)
        report = await probe.check()
        assert not report.ready and report.checks[0].detail == "Draining"
        assert b"ragchat_draining 1.0" in telemetry.render()
        await scheduler.schedule(late)
        assert socket.closed_with is None  # the running turn still streams to it
        release.set()
        async with asyncio.timeout(LONG):
            await draining
        assert socket.closed_with is not None and socket.closed_with[0] == CLOSE_SERVICE_RESTART
    assert list(jobs.jobs) == [handed_back_key(late.chat_id)]
