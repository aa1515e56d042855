"""Many answers at once in one API process: `ragchat serve` (embedded mode) answering N sockets together, each
asking one question of a fake OpenAI-compatible model that streams 100 tokens over 3 s (the scripted server,
in a process of its own). Prints figures; not a test.

    .venv/bin/python -m benchmarks.concurrent_turns [--levels 20 50 100 200] [--tokens 100] [--seconds 3]
        [--baseline DIR | --processes N [N ...]] [--bare]

Per level: turns answered, error codes, and from sending the ``message`` frame: ``accepted``, first ``token``
and ``answer_done`` p50/p99 (seconds); an HTTP probe (``GET /documents`` every 100 ms, another user) p50/p99/max
(ms) and its non-200 count; the CPU time the server, PostgreSQL, the fake model and the clients spent while the
turns ran; and the most database connections seen at once (``pg_stat_activity``, every
200 ms): open, in use (not idle), idle in a transaction, and idle in a transaction older than 2 s. The model's
own first token comes at once, so the first-token figures are what the server adds. The clients run in this
process and share the machine's cores with the server; the probe runs in a process of its own, so the sockets'
clients do not delay its own measurement.

``--baseline DIR`` (another checkout of ragchat, e.g. ``git archive <commit> | tar -x -C DIR``) serves a second
server from DIR's code; every level then runs on both, one after the other (alternating which goes first), so
a before/after comparison shares the machine's load.

``--processes 1 2`` runs production mode instead (PostgreSQL as its own server, Redis, one ``ragchat worker``)
once per number given, as ``RAGCHAT_WEB_PROCESSES``, levels alternating in the same way; the server's CPU is then
the sum over its processes.

``--bare`` adds the floor any Python server on this machine starts from: the bare Litestar app
(``benchmarks/bare_socket_app.py --model-url``) relaying the same fake model through the ``openai`` SDK's own
streaming call, one frame per chunk, with no accounts, storage, retrieval or delivery log; its probe asks for a
constant. Every level runs on it too, in the same alternating order.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from benchmarks.concurrent_turns_servers import (
    bare_relay,
    cpu_seconds,
    production_server,
    ragchat_server,
    serve_model,
)
from benchmarks.model_process import model_process
from tests.support.api import bearer, signed_up
from tests.support.chat_client import ChatClient
from tests.support.server_process import ServerProcess

USERS = 20
CONNECTIONS = (
    "SELECT count(*), count(*) FILTER (WHERE state <> 'idle'), count(*) FILTER (WHERE state LIKE 'idle in trans%'), "
    "count(*) FILTER (WHERE state LIKE 'idle in trans%' AND now() - xact_start > interval '2 seconds') "
    "FROM pg_stat_activity WHERE application_name = 'ragchat'"
)
"""Open, in use (not idle), idle in a transaction, and idle in a transaction begun over 2 s ago: a transaction
held across a model stream (which lasts 3 s) shows in the last; a short one stretched by a busy event loop may
show in the third."""


@dataclass
class Turn:
    accepted: float | None = None
    first_token: float | None = None
    done: float | None = None
    error: str | None = None


@dataclass
class Samples:
    probe_ms: list[float] = field(default_factory=list)
    probe_failures: Counter[str] = field(default_factory=Counter)
    connections: tuple[int, int, int, int] = (0, 0, 0, 0)


async def one_turn(client: ChatClient, start: asyncio.Event, timeout: float) -> Turn:  # noqa: ASYNC109
    turn = Turn()
    await start.wait()
    began = time.perf_counter()
    try:
        await client.send_message("What does the document say?")
        assert client.socket is not None
        async with asyncio.timeout(timeout):
            while True:
                frame = json.loads(await client.socket.recv())
                elapsed = time.perf_counter() - began
                if frame["type"] == "accepted" and turn.accepted is None:
                    turn.accepted = elapsed
                elif frame["type"] == "token" and turn.first_token is None:
                    turn.first_token = elapsed
                elif frame["type"] == "answer_done":
                    turn.done = elapsed
                    return turn
                elif frame["type"] == "error":
                    turn.error = str(frame.get("code"))
                    return turn
    except TimeoutError:
        turn.error = "client_timeout"
    except Exception as exc:
        turn.error = type(exc).__name__
    return turn


def probe_process(url: str, token: str, ready: Any, stop: Any, results: Any) -> None:
    """``GET /documents`` as another user every 100 ms until ``stop`` is set (``ready`` after the first);
    puts its latencies (ms) and failures on ``results``. A process of its own (spawned): in the clients'
    process its timings would include the wait for an event loop busy with 200 sockets."""

    async def run() -> None:
        samples: list[float] = []
        failures: Counter[str] = Counter()
        async with httpx.AsyncClient(base_url=url, timeout=120) as http:
            while not stop.is_set():
                began = time.perf_counter()
                try:
                    response = await http.get("/documents", headers={"Authorization": f"Bearer {token}"})
                    if response.status_code != 200:
                        failures[str(response.status_code)] += 1
                except httpx.HTTPError as exc:
                    failures[type(exc).__name__] += 1
                samples.append((time.perf_counter() - began) * 1000)
                ready.set()
                await asyncio.sleep(0.1)
        results.put((samples, dict(failures)))

    asyncio.run(run())


async def watch_connections(pg_dir: Path, stop: asyncio.Event, samples: Samples) -> None:
    lines = (pg_dir / "postmaster.pid").read_text().splitlines()
    connection = await asyncpg.connect(host=lines[4], port=int(lines[3]), user="postgres", database="postgres")
    try:
        while not stop.is_set():
            row = await connection.fetchrow(CONNECTIONS)
            assert row is not None
            samples.connections = tuple(max(a, b) for a, b in zip(samples.connections, row, strict=True))
            await asyncio.sleep(0.2)
    finally:
        await connection.close()


def pct(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] if ordered else float("nan")


async def level(
    server: ServerProcess, pg_dir: Path | None, users: list[dict[str, str]], n: int, label: str = ""
) -> None:
    """``pg_dir`` None: the bare app, which has no accounts, chats or database."""
    async with httpx.AsyncClient(base_url=server.url, timeout=120, limits=httpx.Limits(max_connections=50)) as http:
        clients = []
        for i in range(n):
            user = users[i % len(users)]
            if pg_dir is None:
                clients.append(ChatClient(server.ws_url, "bare", user["access_token"]))
                continue
            chat = (await http.post("/chats", headers=bearer(user), json={"title": "bench"})).json()
            clients.append(ChatClient(server.ws_url, chat["id"], user["access_token"]))
        await asyncio.gather(*(client.connect(resume=False) for client in clients))
        samples, stop, start = Samples(), asyncio.Event(), asyncio.Event()
        spawn = multiprocessing.get_context("spawn")
        probe_ready, probe_stop, probe_results = spawn.Event(), spawn.Event(), spawn.Queue()
        prober = spawn.Process(target=probe_process, daemon=True,
                               args=(server.url, users[-1]["access_token"], probe_ready, probe_stop, probe_results))
        prober.start()
        await asyncio.to_thread(probe_ready.wait, 60)
        watchers = [asyncio.create_task(watch_connections(pg_dir, stop, samples))] if pg_dir is not None else []
        spent = cpu_seconds(server, pg_dir, prober.pid)
        runs = [asyncio.create_task(one_turn(client, start, 300)) for client in clients]
        await asyncio.sleep(0.5)  # the probe's idle baseline
        began = time.perf_counter()
        start.set()
        turns = await asyncio.gather(*runs)
        wall = time.perf_counter() - began
        spent = {name: seconds - spent[name] for name, seconds in cpu_seconds(server, pg_dir, prober.pid).items()}
        stop.set()
        probe_stop.set()
        samples.probe_ms, failures = await asyncio.to_thread(probe_results.get, True, 60)
        samples.probe_failures.update(failures)
        prober.join(10)
        await asyncio.gather(*watchers)
        await asyncio.gather(*(client.close() for client in clients), return_exceptions=True)
    ok = [t for t in turns if t.done is not None]
    errors = Counter(t.error for t in turns if t.error is not None)

    def row(name: str, values: list[float]) -> str:
        return f"{name} p50 {pct(values, 0.5):.2f} s / p99 {pct(values, 0.99):.2f} s"

    print(f"--- {label}{n} sockets: {len(ok)}/{n} ok in {wall:.1f} s; errors {dict(errors) or 'none'}; "
          f"load average {os.getloadavg()[0]:.2f}")
    print("    " + ", ".join([
        row("accepted", [t.accepted for t in turns if t.accepted is not None]),
        row("first token", [t.first_token for t in turns if t.first_token is not None]),
        row("done", [t.done for t in ok if t.done is not None]),
    ]))
    print(f"    probe p50 {pct(samples.probe_ms, 0.5):.0f} ms / p99 {pct(samples.probe_ms, 0.99):.0f} ms / "
          f"max {max(samples.probe_ms, default=float('nan')):.0f} ms over {len(samples.probe_ms)} requests; "
          f"non-200: {dict(samples.probe_failures) or 0}")
    capacity = wall * (os.cpu_count() or 1)
    print(f"    CPU while the turns ran ({wall:.1f} s x {os.cpu_count()} cores = {capacity:.1f} s): "
          + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in spent.items())
          + f"; the server {spent['server'] / n * 1000:.1f} ms per turn")
    opened, in_use, idle_in_tx, long_idle_in_tx = samples.connections
    if pg_dir is None:
        return
    print(f"    DB connections (max seen): {opened} open, {in_use} in use, {idle_in_tx} idle in transaction, "
          f"{long_idle_in_tx} of them in a transaction older than 2 s")


async def run(servers: list[tuple[str, ServerProcess, Path | None]], levels: list[int]) -> None:
    accounts = {}
    for name, server, pg_dir in servers:
        if pg_dir is None:
            accounts[name] = [{"access_token": "bare"}]
            continue
        async with httpx.AsyncClient(base_url=server.url, timeout=120) as http:
            accounts[name] = [await signed_up(http) for _ in range(min(USERS, max(levels)))]
    for index, n in enumerate(levels):
        order = servers if index % 2 == 0 else servers[::-1]
        for name, server, pg_dir in order:
            await level(server, pg_dir, accounts[name], n, f"{name}: " if len(servers) > 1 else "")
            await asyncio.sleep(3)  # the after-turn jobs (usage, summaries) of this level settle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", type=int, nargs="+", default=[20, 50, 100, 200])
    parser.add_argument("--tokens", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with, level by level")
    parser.add_argument("--processes", type=int, nargs="+", metavar="N",
                        help="production mode instead (PostgreSQL server, Redis, a worker), once per N given with "
                             "RAGCHAT_WEB_PROCESSES=N, level by level")
    parser.add_argument("--closing-model", action="store_true",
                        help="also this checkout against a fake model that closes each connection after its answer "
                             "(how the fake model behaved before it kept connections alive), level by level")
    parser.add_argument("--variant", nargs="+", action="append", default=[], metavar="KEY=VALUE",
                        help="also this checkout with these settings, level by level (repeatable)")
    parser.add_argument("--bare", action="store_true",
                        help="also the bare Litestar app relaying the same model (the floor), level by level")
    args = parser.parse_args()
    print(f"fake model: {args.tokens} tokens over {args.seconds:.1f} s, first token at once; "
          f"load average {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    model = model_process(serve_model, args.tokens, args.seconds)
    with ExitStack() as stack:
        model_url = stack.enter_context(model)
        servers: list[tuple[str, ServerProcess, Path | None]]
        if args.processes:
            servers = [(f"production, {n} API process{'es' if n > 1 else ''}",
                        *stack.enter_context(production_server(model_url, n))) for n in args.processes]
        else:
            servers = [("this checkout", *stack.enter_context(ragchat_server(model_url)))]
        if args.baseline is not None:
            servers.append(("baseline", *stack.enter_context(ragchat_server(model_url, args.baseline.resolve()))))
        for variant in args.variant:
            settings = dict(item.split("=", 1) for item in variant)
            servers.append((" ".join(variant), *stack.enter_context(ragchat_server(model_url, None, settings))))
        if args.closing_model:
            closing_url = stack.enter_context(model_process(serve_model, args.tokens, args.seconds, False))
            servers.append(("closing model", *stack.enter_context(ragchat_server(closing_url))))
        if args.bare:
            servers.append(("bare Litestar relay", stack.enter_context(bare_relay(model_url)), None))
        asyncio.run(run(servers, args.levels))


if __name__ == "__main__":
    main()
