"""What ``benchmarks.concurrent_turns`` measures against: the fake model's process, ragchat in embedded or
production mode, and the CPU each of them (and the clients) spent."""

from __future__ import annotations

import asyncio
import multiprocessing
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.stream_cost import ragchat_env
from tests.support.processes import children, process_info
from tests.support.scripted_llm_server import Reply, ScriptedLLMServer
from tests.support.server_process import ServerProcess
from tests.support.topology import Topology


def serve_model(port: int, tokens: int, seconds: float, keep_alive: bool = True) -> None:
    """The fake model, in its own process so its event loop does not compete with the clients'. Like a real
    model server it keeps connections open between requests (``keep_alive``) and takes a burst of 200 connects
    without overflowing its listen queue."""

    async def run() -> None:
        reply = Reply(tokens=[f" t{i}" for i in range(tokens)], token_delay=seconds / tokens)
        server = ScriptedLLMServer(port=port, keep_alive=keep_alive)
        server.backlog = 1024
        async with server as model:
            model.script(*[reply] * 100_000)
            await asyncio.Event().wait()  # until terminated

    asyncio.run(run())


@contextmanager
def ragchat_server(
    model_url: str, code: Path | None = None, settings: dict[str, str] | None = None
) -> Iterator[tuple[ServerProcess, Path]]:
    """``code``: a checkout whose code the server runs instead of this one's (``PYTHONPATH``); ``settings``:
    environment variables on top of the benchmark's own."""
    root = Path(tempfile.mkdtemp(prefix="ragchat-bench-"))
    env = ragchat_env(root, model_url, **(settings or {}))
    if code is not None:
        env["PYTHONPATH"] = str(code)
    server = ServerProcess(env, log_path=root / "server.log").start(timeout=120)
    try:
        yield server, root / "data" / "postgres"
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def production_server(model_url: str, processes: int) -> Iterator[tuple[ServerProcess, Path]]:
    """Production mode: PostgreSQL as its own server, Redis, a worker, and ``ragchat serve`` with
    ``RAGCHAT_WEB_PROCESSES=processes``."""
    topology = Topology(
        apis=1, workers=1, llm_base_url=model_url, RAGCHAT_WEB_PROCESSES=str(processes),
        RAGCHAT_WS_MESSAGES_PER_SECOND="1000", RAGCHAT_WS_MESSAGE_BURST="1000", RAGCHAT_LOG_LEVEL="WARNING",
    )  # fmt: skip
    try:
        topology.start()
        yield topology.apis[0], topology.postgres.root / "data"
    finally:
        topology.stop()
        topology.cleanup()


class BareRelayProcess(ServerProcess):
    def __init__(self, model_url: str, log_path: Path) -> None:
        super().__init__({}, log_path=log_path)
        self.model_url = model_url

    def argv(self) -> list[str]:
        return [sys.executable, "-m", "benchmarks.bare_socket_app", "--port", str(self.port),
                "--model-url", self.model_url]  # fmt: skip


@contextmanager
def bare_relay(model_url: str) -> Iterator[ServerProcess]:
    """The bare Litestar app relaying ``model_url`` (``bare_socket_app --model-url``)."""
    root = Path(tempfile.mkdtemp(prefix="ragchat-bench-bare-"))
    server = BareRelayProcess(model_url, root / "bare.log").start(timeout=60)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def cpu_seconds(server: ServerProcess, pg_dir: Path | None, probe: int | None) -> dict[str, float]:
    """CPU time so far of the server, PostgreSQL (the postmaster and its backends), the fake model (this
    process's multiprocessing children other than the probe) and this process (the sockets' clients)."""

    def total(pid: int | None) -> float:
        info = process_info(pid) if pid is not None else None
        return info.cpu_seconds if info is not None else 0.0

    postmaster = int((pg_dir / "postmaster.pid").read_text().splitlines()[0]) if pg_dir is not None else None
    api_children = children(server.pid) if server.pid is not None else []  # RAGCHAT_WEB_PROCESSES above 1
    return {
        "server": total(server.pid) + sum(child.cpu_seconds for child in api_children),
        "PostgreSQL": total(postmaster)
        + (sum(child.cpu_seconds for child in children(postmaster)) if postmaster is not None else 0.0),
        "model": sum(total(child.pid) for child in multiprocessing.active_children() if child.pid != probe),
        "clients": time.process_time(),
    }
