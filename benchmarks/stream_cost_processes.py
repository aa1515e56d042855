"""The processes ``stream_cost`` measures and how: the fake model that answers ``tokens=N`` questions (run with
``benchmarks.model_process``), the bare socket app, and the CPU time of a process's threads and of the embedded
PostgreSQL's processes."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from benchmarks.bare_socket_app import tokens_asked
from tests.support.scripted_llm_server import Behaviour, Reply, ScriptedLLMServer
from tests.support.server_process import ServerProcess


class SizedModel(ScriptedLLMServer):
    """Answers a question that says ``tokens=N`` with N tokens at once, then a usage chunk."""

    async def _respond(self, behaviour: Behaviour, body: dict[str, Any], reader: Any, writer: Any) -> bool:
        asked = tokens_asked(json.dumps(body.get("messages", [])[-1:]), default=0)
        if asked:
            behaviour = Reply(tokens=[f" t{i}" for i in range(asked)], usage=(20, asked))
        self.requests.clear()  # nothing reads them; keeps a long run's memory flat
        return await super()._respond(behaviour, body, reader, writer)


def serve_model(port: int) -> None:
    async def run() -> None:
        async with SizedModel(port=port):
            await asyncio.Event().wait()  # until terminated

    asyncio.run(run())


class BareProcess(ServerProcess):
    def argv(self) -> list[str]:
        return [sys.executable, "-m", "benchmarks.bare_socket_app", "--port", str(self.port)]


def thread_cpu_ns(pid: int) -> int:
    """CPU time of every live thread of ``pid`` (scheduler statistics: nanoseconds, not clock ticks)."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as stat:
                total += int(stat.read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass  # a thread that ended between the listing and the read
    return total


def postgres_pids(data_dir: Path) -> list[int]:
    """The embedded PostgreSQL's postmaster and its children (backends, checkpointer, …)."""
    postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])
    pids = [postmaster]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == postmaster:
                        pids.append(int(entry))
            except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
                pass
    return pids
