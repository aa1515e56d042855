"""Several API processes on one port, for a machine with more cores than one event loop can use.

One Python process answers on one core; a few hundred streaming answers keep it busy. In production mode every piece
of shared state already lives in PostgreSQL and Redis (frames, delivery logs, chat locks, stop signals, rate
limits), so N processes on one machine are N replicas that happen to share a listening socket: the parent binds it
once and starts the children (``spawn``: nothing of the parent's state is inherited), each a complete ``ragchat
serve`` with its own container, drain and event loop; the kernel hands each new connection to one of them. Clients
need no stickiness for the same reason a load balancer needs none.

The parent only supervises: a child that dies is replaced (its sockets' clients reconnect and resume from their last
seq, as after any restart), unless it exited with an error within ``STARTUP_GRACE_SECONDS`` of starting, which means
a configuration or database problem that another start would repeat, so everything stops and the exit code says so
(a child killed by a signal, the OOM killer say, is replaced). SIGTERM or SIGINT is passed on once as SIGTERM: each
child drains as a single process does. Children run in their own process group, so a terminal's Ctrl-C reaches them
only through the parent, once (a second signal would make uvicorn skip the drain). No heartbeat: a child that is
alive is alive, however slow a busy machine makes it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from multiprocessing.context import SpawnProcess
from types import FrameType

import uvicorn

log = logging.getLogger("ragchat")
STARTUP_GRACE_SECONDS = 30.0


def serve_child(run: Callable[[list[socket.socket]], None], sockets: list[socket.socket]) -> None:
    os.setpgrp()  # a terminal's Ctrl-C reaches this process only through the parent
    run(sockets)


class ServerProcesses:
    """``processes`` children running ``run(sockets)`` (a module-level function: it is pickled for ``spawn``)."""

    def __init__(self, config: uvicorn.Config, processes: int, run: Callable[[list[socket.socket]], None],
                 stop_seconds: float) -> None:
        """``stop_seconds``: how long the children get to drain and exit after SIGTERM before they are killed."""
        self._config = config
        self._count = processes
        self._run = run
        self._stop_seconds = stop_seconds
        self._stop = threading.Event()
        self._context = multiprocessing.get_context("spawn")

    def serve(self) -> int:
        listening = self._config.bind_socket()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)
        children = [self._start(listening) for _ in range(self._count)]
        log.info("serving in processes", extra={"processes": [child.pid for child, _ in children]})
        failed = False
        while not self._stop.wait(1.0):
            for index, (child, started) in enumerate(children):
                if child.is_alive():
                    continue
                if (child.exitcode or 0) > 0 and time.monotonic() - started < STARTUP_GRACE_SECONDS:
                    log.error("an API process failed as it started; stopping",
                              extra={"pid": child.pid, "exitcode": child.exitcode})
                    failed = True
                    self._stop.set()
                    break
                log.warning("an API process exited; starting another",
                            extra={"pid": child.pid, "exitcode": child.exitcode})
                children[index] = self._start(listening)
        self._stop_all([child for child, _ in children])
        listening.close()
        return 1 if failed else 0

    def _on_signal(self, sig: int, frame: FrameType | None) -> None:
        self._stop.set()

    def _start(self, listening: socket.socket) -> tuple[SpawnProcess, float]:
        child = self._context.Process(target=serve_child, args=(self._run, [listening]), daemon=False)
        child.start()
        return child, time.monotonic()

    def _stop_all(self, children: list[SpawnProcess]) -> None:
        for child in children:
            if child.is_alive() and child.pid is not None:
                os.kill(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + self._stop_seconds
        for child in children:
            child.join(max(0.0, deadline - time.monotonic()))
            if child.is_alive():
                log.warning("an API process did not stop in time; killing it", extra={"pid": child.pid})
                child.kill()
                child.join()
