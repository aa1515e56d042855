"""The ``DocumentParser`` the service uses: each file is parsed in a separate, killable process.

A small pool of parser processes (``adapters/parsing/parse_worker.py``) is kept warm and reused from file to
file, so a document pays one pipe round trip rather than an interpreter start. A process that overruns its
wall-clock time is killed; one the kernel stops (CPU or memory limit) or that crashes is replaced by a fresh
one; either way the file's owner gets a ``failed`` document with the reason, and no other request shares the
cost: the parse never runs in the service's process or on its event loop.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from pathlib import Path

from adapters.parsing.document_parsers import ParserLimits
from adapters.parsing.parse_worker import NICENESS
from adapters.parsing.worker_protocol import HEADER_SIZE, READY, ParseReply, ParseRequest, decode_reply, frame
from adapters.parsing.worker_protocol import length_of as reply_length
from application.ports.document_parser import ParsedDocument, UnreadableDocument

log = logging.getLogger(__name__)

_CODE_ROOT = Path(__file__).resolve().parents[2]
"""The folder holding ``adapters/``: the child starts there, so it runs the same code as this process."""


class WorkerDied(Exception):
    def __init__(self, returncode: int | None) -> None:
        super().__init__(f"parser process ended with {returncode}")
        self.returncode = returncode


class ParserProcess:
    """One child process and its pipes; one request at a time."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self._process = process
        self._ready = False

    @classmethod
    async def start(cls, memory_bytes: int, niceness: int) -> ParserProcess:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "adapters.parsing.parse_worker", str(memory_bytes), str(niceness),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, cwd=_CODE_ROOT,
        )  # fmt: skip
        return cls(process)

    @property
    def alive(self) -> bool:
        return self._process.returncode is None

    @property
    def pid(self) -> int:
        return self._process.pid

    async def run(self, request: ParseRequest) -> ParseReply:
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None and stdout is not None
        try:
            if not self._ready:
                if await stdout.readexactly(len(READY)) != READY:
                    raise WorkerDied(None)
                self._ready = True
            stdin.write(frame(request))
            await stdin.drain()
            header = await stdout.readexactly(HEADER_SIZE)
            return decode_reply(await stdout.readexactly(reply_length(header)))
        except (asyncio.IncompleteReadError, BrokenPipeError, ConnectionResetError):
            raise WorkerDied(await self._process.wait()) from None

    async def kill(self) -> None:
        if self._process.returncode is None:
            self._process.kill()
        await self._process.wait()


def death_reason(returncode: int | None, cpu_seconds: float) -> str:
    if returncode == -signal.SIGXCPU:
        return f"reading the file took more than {cpu_seconds:g} seconds of processor time, so it was stopped"
    if returncode == -signal.SIGKILL:
        return "reading the file was stopped by the system (it probably needed too much memory)"
    return "the file could not be read: the parser stopped unexpectedly (it may need more memory than allowed)"


class ParserProcessPool:
    """At most ``workers`` files parse at once (others wait their turn); each gets ``cpu_seconds`` of CPU,
    ``memory_bytes`` of address space and ``timeout_seconds`` of wall-clock time, at ``niceness`` (lower
    priority than the service: 10 by default; 0 for a command that serves nobody, such as ``ragchat ingest``,
    whose parses would otherwise wait behind every other process on a busy machine)."""

    def __init__(
        self,
        limits: ParserLimits,
        *,
        workers: int = 2,
        cpu_seconds: float = 120.0,
        memory_bytes: int = 2 * 1024**3,
        niceness: int = NICENESS,
    ) -> None:
        self._limits = limits
        self._cpu_seconds = cpu_seconds
        self._memory_bytes = memory_bytes
        self._niceness = niceness
        self._workers = max(1, workers)
        self._slots = asyncio.Semaphore(self._workers)
        self._idle: list[ParserProcess] = []
        self._live: set[ParserProcess] = set()
        self._starting: set[asyncio.Task[None]] = set()
        self._closed = False

    def start(self) -> None:
        """Starts one spare process in the background, so the first file does not wait for imports."""
        self._prestart()

    async def parse(self, data: bytes, content_type: str) -> ParsedDocument:
        if not data:
            raise UnreadableDocument("the file is empty")
        request = ParseRequest(data=data, content_type=content_type, limits=self._limits, cpu_seconds=self._cpu_seconds)
        async with self._slots:
            reply = await self._run(request)
        if reply.document is None:
            raise UnreadableDocument(reply.unreadable or "the file could not be read")
        return reply.document

    async def _run(self, request: ParseRequest) -> ParseReply:
        worker = await self._take()
        reusable = False
        try:
            reply = await asyncio.wait_for(worker.run(request), self._limits.timeout_seconds)
            reusable = not reply.retire
            return reply
        except TimeoutError:
            log.warning("parser process timed out; killed", extra={"pid": worker.pid})
            seconds = self._limits.timeout_seconds
            raise UnreadableDocument(f"reading the file took longer than {seconds:g} seconds") from None
        except WorkerDied as died:
            log.warning("parser process died", extra={"pid": worker.pid, "returncode": died.returncode})
            raise UnreadableDocument(death_reason(died.returncode, self._cpu_seconds)) from None
        finally:
            if reusable and not self._closed:
                self._idle.append(worker)
            else:
                await asyncio.shield(self._retire(worker))
                self._prestart()

    async def _take(self) -> ParserProcess:
        while self._starting and not self._idle:
            await asyncio.wait(set(self._starting))
        while self._idle:
            worker = self._idle.pop()
            if worker.alive:
                return worker
            self._live.discard(worker)
        worker = await ParserProcess.start(self._memory_bytes, self._niceness)
        self._live.add(worker)
        return worker

    async def _retire(self, worker: ParserProcess) -> None:
        self._live.discard(worker)
        await worker.kill()

    def _prestart(self) -> None:
        if self._closed or self._idle or self._starting or len(self._live) >= self._workers:
            return

        async def spare() -> None:
            try:
                worker = await ParserProcess.start(self._memory_bytes, self._niceness)
            except OSError:
                log.warning("could not start a spare parser process", exc_info=True)
                return
            self._live.add(worker)
            self._idle.append(worker)

        task = asyncio.create_task(spare(), name="parser-process-start")
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)

    async def close(self) -> None:
        self._closed = True
        for task in list(self._starting):
            task.cancel()
        await asyncio.gather(*self._starting, return_exceptions=True)
        await asyncio.gather(*(self._retire(worker) for worker in list(self._live)), return_exceptions=True)
        self._idle.clear()
