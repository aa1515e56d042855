"""How soon a burst of questions reaches the model, and the server CPU each question costs until then: N sockets
ask at once (embedded mode); the fake model (a process of its own) notes when each request arrives and holds
every answer until all N have arrived, so what is measured is the work before the model request (storing the
question, the stage manager's reads, retrieval, the prompt, opening the request), with no streaming mixed in.
Prints figures; not a test.

    .venv/bin/python -m benchmarks.turn_starts [--sockets 200] [--rounds 3] [--baseline DIR]

Per run: when the model requests arrived, from the moment the questions were sent (p50, p99, last), and the
server's CPU time from then until the last arrival, per question. ``--baseline DIR`` (another checkout, e.g.
``git archive <commit> | tar -x -C DIR``) serves a second server from DIR's code; the rounds alternate which
goes first, and medians over the rounds close the report. The server's own first-token latency at the same
concurrency, with the streaming included, is ``benchmarks.concurrent_turns``.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

from benchmarks.concurrent_turns import pct
from benchmarks.concurrent_turns_servers import ragchat_server
from benchmarks.model_process import model_process
from tests.support.api import bearer, signed_up
from tests.support.chat_client import ChatClient
from tests.support.processes import process_info
from tests.support.scripted_llm_server import Reply, ScriptedLLMServer
from tests.support.server_process import ServerProcess

USERS = 20


def serve_held_model(port: int, arrivals: Any, release: Any) -> None:
    """Puts each request's arrival time on ``arrivals``; every answer's first token waits while ``release``
    is clear."""

    async def run() -> None:
        held = asyncio.Event()
        server = ScriptedLLMServer(port=port, keep_alive=True)
        server.backlog = 1024
        async with server as model:
            model.script(*[Reply(tokens=[" held", " answer"], pause_after=0, resume=held)] * 100_000)

            async def mirror() -> None:
                while True:
                    held.set() if release.is_set() else held.clear()
                    await asyncio.sleep(0.02)

            async def note() -> None:
                seen = 0
                while True:
                    await model.wait_for_requests(seen + 1)
                    seen += 1
                    arrivals.put(time.time())

            await asyncio.gather(mirror(), note())

    asyncio.run(run())


async def burst(
    server: ServerProcess, users: list[dict[str, str]], n: int, arrivals: Any, release: Any
) -> tuple[list[float], float]:
    """The arrival times (seconds after sending) and the server's CPU per question until the last arrival."""
    async with httpx.AsyncClient(base_url=server.url, timeout=120) as http:
        chats = [(await http.post("/chats", headers=bearer(users[i % len(users)]), json={"title": "bench"})).json()
                 for i in range(n)]  # fmt: skip
    clients = [ChatClient(server.ws_url, chat["id"], users[i % len(users)]["access_token"])
               for i, chat in enumerate(chats)]  # fmt: skip
    await asyncio.gather(*(client.connect(resume=False) for client in clients))
    release.clear()
    await asyncio.sleep(0.2)  # the model process sees it
    assert server.pid is not None
    began, cpu = time.time(), process_info(server.pid)
    await asyncio.gather(*(client.send_message("What does the document say?") for client in clients))
    seen = [await asyncio.to_thread(arrivals.get, True, 120) - began for _ in range(n)]
    spent = process_info(server.pid)
    release.set()
    await asyncio.gather(*(client.until("answer_done", timeout=120) for client in clients))
    await asyncio.gather(*(client.close() for client in clients), return_exceptions=True)
    assert cpu is not None and spent is not None
    return sorted(seen), (spent.cpu_seconds - cpu.cpu_seconds) / n * 1000


async def run(servers: list[tuple[str, ServerProcess]], n: int, rounds: int, arrivals: Any, release: Any) -> None:
    accounts = {}
    for name, server in servers:
        async with httpx.AsyncClient(base_url=server.url, timeout=120) as http:
            accounts[name] = [await signed_up(http) for _ in range(USERS)]
        await burst(server, accounts[name], 20, arrivals, release)  # warm: connections, statements, imports
    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name, _ in servers}
    for index in range(rounds):
        for name, server in servers if index % 2 == 0 else servers[::-1]:
            load = os.getloadavg()[0]
            seen, cpu = await burst(server, accounts[name], n, arrivals, release)
            results[name].append((pct(seen, 0.99), cpu, load))
            print(f"--- {name}: {n} questions reached the model at p50 {pct(seen, 0.5):.2f} s / p99 "
                  f"{pct(seen, 0.99):.2f} s / last {seen[-1]:.2f} s; server CPU until then {cpu:.2f} ms per "
                  f"question; load average {load:.2f}", flush=True)  # fmt: skip
            await asyncio.sleep(2)  # the after-turn jobs of this burst settle
    for name, rows in results.items():
        p99, cpu = statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows)
        print(f"=== {name}: medians over {len(rows)} rounds: arrival p99 {p99:.2f} s, server CPU {cpu:.2f} ms per "
              f"question (load averages {', '.join(f'{r[2]:.1f}' for r in rows)})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sockets", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with, round by round")
    args = parser.parse_args()
    spawn = multiprocessing.get_context("spawn")
    arrivals, release = spawn.Queue(), spawn.Event()
    print(f"{args.sockets} questions at once, the model holding every answer until all have arrived; "
          f"load average {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")  # fmt: skip
    with ExitStack() as stack:
        url = stack.enter_context(model_process(serve_held_model, arrivals, release))
        servers = [("this checkout", stack.enter_context(ragchat_server(url))[0])]
        if args.baseline is not None:
            servers.append(("baseline", stack.enter_context(ragchat_server(url, args.baseline.resolve()))[0]))
        asyncio.run(run(servers, args.sockets, args.rounds, arrivals, release))


if __name__ == "__main__":
    main()
