"""Graceful drain of an API process on SIGTERM (a rolling deploy, a scale-down).

Order matters, and none of it can wait for uvicorn's own shutdown: uvicorn closes every WebSocket (1012) and
only *then* runs the app's lifespan shutdown, so a drain placed in the lifespan would find its sockets gone.
``DrainingServer`` (entrypoints/http/server.py) therefore runs ``Drain.run`` on the signal and lets uvicorn
shut down afterwards:

1. readiness answers 503 at once (the load balancer stops sending new work); new chat sockets are closed
   with 1012 as soon as they connect, and new turns are handed to the job queue, where a worker (or another
   process) starts them at once;
2. running turns get ``RAGCHAT_DRAIN_SECONDS`` to finish, streaming to their sockets as usual;
3. turns still running then are cancelled (their questions stay ``pending``) and their chats are queued
   again at once (not after the sweeper's ``RAGCHAT_UNANSWERED_AFTER_SECONDS``);
4. every chat socket is closed with 1012 (service restart): clients reconnect, reach another replica and
   resume from their last seq.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from typing import Any

from dishka import AsyncContainer
from litestar import WebSocket

from adapters.jobs.in_process_turn_scheduler import InProcessTurnScheduler
from adapters.prometheus.telemetry import PrometheusTelemetry
from application.commands import ProcessInbox
from application.ports.job_queue import JobQueue
from entrypoints.settings import Settings

log = logging.getLogger(__name__)
CLOSE_SERVICE_RESTART = 1012


class Draining(Exception):
    """What `/ready` reports while the process drains."""


def handed_back_key(chat_id: uuid.UUID) -> str:
    """One queued hand-back per chat is enough: it answers every message waiting in the chat's inbox."""
    return f"turn:chat:{chat_id}"


class Drain:
    def __init__(
        self, turns: InProcessTurnScheduler, jobs: JobQueue, telemetry: PrometheusTelemetry, settings: Settings
    ) -> None:
        self._turns = turns
        self._jobs = jobs
        self._telemetry = telemetry
        self._seconds = settings.drain_seconds
        self._sockets: set[WebSocket[Any, Any, Any]] = set()
        self._done = asyncio.Event()
        self.draining = False

    async def status(self) -> str:
        """The `/ready` check: fails from the moment the drain starts."""
        if self.draining:
            raise Draining
        return "serving"

    @contextlib.asynccontextmanager
    async def socket(self, socket: WebSocket[Any, Any, Any]) -> Any:
        """Registers an open chat socket, so the drain can close it with 1012 at the end."""
        self._sockets.add(socket)
        try:
            yield
        finally:
            self._sockets.discard(socket)

    async def _hand_back(self, command: ProcessInbox) -> None:
        await self._jobs.enqueue(command, key=handed_back_key(command.chat_id))

    async def run(self) -> None:
        if self.draining:
            await self._done.wait()
            return
        self.draining = True
        self._telemetry.set_draining(True)
        started = time.monotonic()
        log.warning("draining", extra={"drain_seconds": self._seconds, "sockets": len(self._sockets)})
        try:
            handed_back = await self._turns.drain_within(self._seconds, self._hand_back)
        except Exception:
            log.exception("drain: handing turns back failed; the sweeper will re-queue them")
            handed_back = -1
        sockets = list(self._sockets)
        await asyncio.gather(*(self._close(socket) for socket in sockets))
        log.warning(
            "drained",
            extra={
                "handed_back": handed_back,
                "sockets_closed": len(sockets),
                "seconds": round(time.monotonic() - started, 2),
            },
        )
        self._done.set()

    @staticmethod
    async def _close(socket: WebSocket[Any, Any, Any]) -> None:
        with contextlib.suppress(Exception):
            await socket.close(CLOSE_SERVICE_RESTART, "server restarting; reconnect")


async def drain_process(container: AsyncContainer) -> None:
    await (await container.get(Drain)).run()
