"""Password hashing runs on its own bounded pool: the event loop keeps serving while hashes are computed."""

from __future__ import annotations

import asyncio
import threading

from adapters.auth.argon2_password_hasher import Argon2PasswordHasher
from adapters.auth.offloaded_password_hasher import OffloadedPasswordHasher

WAIT = 30.0


class GatedHasher:
    """Blocks each hash until released, and records how many run at once and on which threads."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.running = 0
        self.most_at_once = 0
        self.threads: set[str] = set()
        self._lock = threading.Lock()
        self.started = threading.Semaphore(0)

    def hash(self, password: str) -> str:
        with self._lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
            self.threads.add(threading.current_thread().name)
        self.started.release()
        assert self.release.wait(WAIT), "never released"
        with self._lock:
            self.running -= 1
        return "hashed:" + password

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == self.hash(password)


async def test_hashes_run_off_the_event_loop_at_most_workers_at_once() -> None:
    gated = GatedHasher()
    hasher = OffloadedPasswordHasher(gated, workers=2)
    try:
        tasks = [asyncio.create_task(hasher.hash(f"pw{n}")) for n in range(5)]
        # Two hashes are now blocked in their threads, yet this coroutine runs: the loop is free.
        for _ in range(2):
            assert await asyncio.to_thread(gated.started.acquire, True, WAIT)
        assert not any(task.done() for task in tasks)
        assert gated.running == 2
        gated.release.set()
        assert await asyncio.gather(*tasks) == [f"hashed:pw{n}" for n in range(5)]
        assert gated.most_at_once == 2
        assert all(name.startswith("password-hash") for name in gated.threads)
        assert threading.current_thread().name not in gated.threads
    finally:
        gated.release.set()
        hasher.close()


async def test_argon2_round_trip_through_the_pool() -> None:
    hasher = OffloadedPasswordHasher(Argon2PasswordHasher(time_cost=1, memory_cost=1024), workers=1)
    try:
        stored = await hasher.hash("correct horse")
        assert await hasher.verify(stored, "correct horse")
        assert not await hasher.verify(stored, "wrong horse")
        assert not await hasher.verify("not-a-hash", "correct horse")
    finally:
        hasher.close()
