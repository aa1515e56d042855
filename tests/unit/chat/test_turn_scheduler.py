"""The in-process turn scheduler: a bounded number of turns at once, the rest queued (not refused), and a
turn that failed outside the answer run again instead of waiting for the sweeper."""

from __future__ import annotations

import asyncio
import uuid

from adapters.jobs.in_process_turn_scheduler import InProcessTurnScheduler
from application.commands import Command, ProcessInbox
from application.errors import StorageUnavailable
from application.retries import JobRetryRules

FAST = JobRetryRules(max_tries=3, base_delay=0.001, max_delay=0.001)


def _turn() -> ProcessInbox:
    return ProcessInbox(owner_id=uuid.uuid4(), chat_id=uuid.uuid4())


async def test_turns_beyond_the_limit_wait_for_a_slot_and_all_run() -> None:
    gate, two_started = asyncio.Event(), asyncio.Event()
    started: list[Command] = []
    most_at_once = 0
    scheduler: InProcessTurnScheduler

    async def dispatch(command: Command) -> None:
        nonlocal most_at_once
        started.append(command)
        most_at_once = max(most_at_once, scheduler.running)
        if len(started) == 2:
            two_started.set()
        await gate.wait()

    scheduler = InProcessTurnScheduler(dispatch, concurrency=2, rules=FAST)
    turns = [_turn() for _ in range(5)]
    for turn in turns:
        await scheduler.schedule(turn)
    async with asyncio.timeout(10):
        await two_started.wait()
    for _ in range(20):  # give the waiting turns every chance to start (they must not)
        await asyncio.sleep(0)
    assert started == turns[:2] and scheduler.running == 2

    gate.set()
    async with asyncio.timeout(10):
        await scheduler.drain()
    assert started == turns  # first come, first served
    assert most_at_once == 2 and scheduler.running == 0


async def test_a_failed_turn_is_run_again() -> None:
    runs: list[Command] = []

    async def dispatch(command: Command) -> None:
        runs.append(command)
        if len(runs) == 1:
            raise StorageUnavailable("the database restarted")

    scheduler = InProcessTurnScheduler(dispatch, concurrency=4, rules=FAST)
    turn = _turn()
    await scheduler.schedule(turn)
    async with asyncio.timeout(10):
        await scheduler.drain()
    assert runs == [turn, turn]
