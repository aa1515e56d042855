"""What streaming an answer costs the server, side by side: the bare Litestar WebSocket app
(``benchmarks/bare_socket_app.py``) vs ``ragchat serve`` with in-process chat state vs ``ragchat serve`` with
``REDIS_URL`` (a real redis-server). Prints figures; not a test.

    .venv/bin/python -m benchmarks.stream_cost [--rounds 12] [--long 500] [--env RAGCHAT_TOKEN_COALESCE_MS=0]
        [--baseline DIR]

Every server runs in its own process (both ragchat servers on embedded PostgreSQL); so does the fake
OpenAI-compatible model (the tests' scripted server), which streams a ``tokens=N`` question's N tokens with no
delay and a final usage chunk. Rounds are interleaved (each round asks every server a long and a 1-token
question, in a rotating order) and each ragchat turn runs in a fresh ``test``-stage chat, created and connected
before the measurement starts. Per turn the benchmark reads the server's CPU time (the sum of its threads'
``/proc/<pid>/task/*/schedstat``, nanoseconds) from just before the ``message`` frame until the server is idle
again after ``answer_done`` (so after-turn jobs count), and the same for the embedded PostgreSQL's processes.

``--baseline DIR`` (another checkout, e.g. ``git archive <commit> | tar -x -C DIR``) adds a fourth server, in-process
like the second but running DIR's code, to the same interleaved rounds: a before/after comparison in one run.

Medians over the rounds:
- CPU/turn: the server CPU of a 1-token turn (the fixed cost); PG/turn: PostgreSQL's share of it;
- CPU/token frame: (CPU of the long turn - CPU of the 1-token turn) / (token frames between them);
- CPU/token: the same difference per model token (equal to the above while every token is its own frame);
- frames/s: token frames to the one client, from the first to the last; first token: from sending the
  ``message`` frame, for the long and the 1-token answer; answer: from sending it to ``answer_done``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from benchmarks.model_process import model_process
from benchmarks.stream_cost_processes import BareProcess, postgres_pids, serve_model, thread_cpu_ns
from tests.support.api import bearer, signed_up
from tests.support.chat_client import ChatClient
from tests.support.redis_server import RedisServer
from tests.support.server_process import ServerProcess, free_port


@dataclass
class Target:
    name: str
    server: ServerProcess
    pg_dir: Path | None = None
    user: dict[str, str] | None = None
    samples: dict[int, list[Turn]] = field(default_factory=dict)

    def cpu(self) -> tuple[int, int]:
        """(server, PostgreSQL) CPU nanoseconds so far."""
        assert self.server.pid is not None
        pg = 0
        if self.pg_dir is not None:
            for pid in postgres_pids(self.pg_dir):
                try:
                    pg += thread_cpu_ns(pid)
                except (FileNotFoundError, ProcessLookupError):
                    pass
        return thread_cpu_ns(self.server.pid), pg


@dataclass
class Turn:
    cpu_ns: int
    pg_ns: int
    frames: int
    first_token: float
    frames_per_second: float
    answer_seconds: float


async def settle(target: Target, quiet_ns: int = 300_000, poll: float = 0.05, limit: float = 3.0) -> None:
    """Until the server used less than ``quiet_ns`` of CPU over one poll (after-turn jobs are done)."""
    deadline = time.monotonic() + limit
    before = target.cpu()[0]
    while time.monotonic() < deadline:
        await asyncio.sleep(poll)
        now = target.cpu()[0]
        if now - before < quiet_ns:
            return
        before = now


async def one_turn(target: Target, http: httpx.AsyncClient | None, tokens: int) -> Turn:
    chat_id = "bare"
    token = "bare"
    if http is not None:
        assert target.user is not None
        chat = await http.post("/chats", headers=bearer(target.user), json={"title": "bench", "stage": "test"})
        chat_id, token = chat.json()["id"], target.user["access_token"]
    client = ChatClient(target.server.ws_url, chat_id, token)
    await client.connect()
    await settle(target)
    cpu_before, pg_before = target.cpu()
    began = time.perf_counter()
    await client.send_message(f"Answer with tokens={tokens} please.")
    stamps: list[float] = []
    assert client.socket is not None
    while True:
        frame = json.loads(await asyncio.wait_for(client.socket.recv(), 120))
        if frame["type"] == "token":
            stamps.append(time.perf_counter())
        elif frame["type"] == "answer_done":
            answered = time.perf_counter() - began
            break
        elif frame["type"] == "error":
            raise RuntimeError(f"{target.name}: {frame}")
    await settle(target)
    cpu_after, pg_after = target.cpu()
    await client.close()
    rate = (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 and stamps[-1] > stamps[0] else 0.0
    return Turn(
        cpu_ns=cpu_after - cpu_before,
        pg_ns=pg_after - pg_before,
        frames=len(stamps),
        first_token=stamps[0] - began if stamps else float("nan"),
        answer_seconds=answered,
        frames_per_second=rate,
    )


def ragchat_env(root: Path, model_url: str, **extra: str) -> dict[str, str]:
    return {
        "RAGCHAT_DATA_DIR": str(root / "data"),
        "RAGCHAT_EMBEDDER": "hashing",
        "RAGCHAT_LLM_BASE_URL": model_url,
        "RAGCHAT_LLM_MODEL": "scripted",
        "RAGCHAT_WS_MESSAGES_PER_SECOND": "1000",
        "RAGCHAT_WS_MESSAGE_BURST": "1000",
        "RAGCHAT_WS_FRAMES_PER_SECOND": "1000",
        "RAGCHAT_LOG_LEVEL": "WARNING",
        "RAGCHAT_REGISTER_ATTEMPTS_PER_ADDRESS": "0",  # every user signs up from one address
        "RAGCHAT_LOGIN_ATTEMPTS_PER_ADDRESS": "0",
        **extra,
    }


@contextmanager
def targets(model_url: str, settings: dict[str, str], baseline: Path | None = None) -> Iterator[list[Target]]:
    with ExitStack() as stack:
        root = Path(tempfile.mkdtemp(prefix="ragchat-stream-cost-"))
        stack.callback(shutil.rmtree, root, ignore_errors=True)
        redis_dir = root / "redis-server"
        redis_dir.mkdir()
        binary = shutil.which("redis-server")
        if binary is None:
            raise SystemExit("redis-server is not installed: run `python -m tests.setup_services`")
        redis = RedisServer(binary, free_port(), redis_dir)
        redis.start()
        stack.callback(redis.stop)
        made = []
        bare = BareProcess({}, log_path=root / "bare.log").start(timeout=60)
        stack.callback(bare.stop)
        made.append(Target("bare Litestar", bare))
        servers: list[tuple[str, str, dict[str, str]]] = [
            ("ragchat in-process", "inproc", {}),
            ("ragchat + Redis", "redis", {"REDIS_URL": redis.url}),
        ]
        if baseline is not None:
            servers.append(("baseline in-process", "baseline", {"PYTHONPATH": str(baseline.resolve())}))
        for name, sub, extra in servers:
            (root / sub).mkdir()
            server = ServerProcess(
                ragchat_env(root / sub, model_url, **settings, **extra), log_path=root / sub / "server.log"
            )
            server.start(timeout=180)
            stack.callback(server.stop)
            made.append(Target(name, server, pg_dir=root / sub / "data" / "postgres"))
        yield made


async def run(targets_: list[Target], rounds: int, long: int) -> None:
    clients: dict[str, httpx.AsyncClient] = {}
    for target in targets_:
        if target.pg_dir is not None:
            http = httpx.AsyncClient(base_url=target.server.url, timeout=60)
            clients[target.name] = http
            target.user = await signed_up(http)
    try:
        order = [(t, n) for t in targets_ for n in (long, 1)]
        for index in range(rounds + 1):  # round 0 warms every path up and is not counted
            shift = index % len(order)
            for target, tokens in order[shift:] + order[:shift]:
                turn = await one_turn(target, clients.get(target.name), tokens)
                if index:
                    target.samples.setdefault(tokens, []).append(turn)
            print(f"round {index}/{rounds} done (load average {load()})", file=sys.stderr, flush=True)
    finally:
        for http in clients.values():
            await http.aclose()


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def median(turns: list[Turn], value: Callable[[Turn], float]) -> float:
    return statistics.median(value(t) for t in turns)


def report(targets_: list[Target], long: int) -> None:
    rows: list[tuple[str, ...]] = []
    per_frame: dict[str, float] = {}
    per_token: dict[str, float] = {}
    for target in targets_:
        longs, ones = target.samples[long], target.samples[1]
        pairs = list(zip(longs, ones, strict=True))
        frame_us = statistics.median((a.cpu_ns - b.cpu_ns) / max(1, a.frames - b.frames) / 1000 for a, b in pairs)
        token_us = statistics.median((a.cpu_ns - b.cpu_ns) / (long - 1) / 1000 for a, b in pairs)
        per_frame[target.name] = frame_us
        per_token[target.name] = token_us
        pg = f"{median(ones, lambda t: t.pg_ns) / 1e6:.1f}" if target.pg_dir else "-"
        rows.append(
            (
                target.name,
                f"{frame_us:,.0f}",
                f"{token_us:,.0f}",
                f"{median(longs, lambda t: t.frames):.0f}",
                f"{median(ones, lambda t: t.cpu_ns) / 1e6:.1f}",
                pg,
                f"{median(longs, lambda t: t.frames_per_second):,.0f}",
                f"{median(longs, lambda t: t.first_token) * 1000:.0f}",
                f"{median(ones, lambda t: t.first_token) * 1000:.0f}",
                f"{median(longs, lambda t: t.answer_seconds) * 1000:.0f}",
            )
        )
    header = (
        "",
        "CPU/token frame µs",
        "CPU/token µs",
        f"frames of {long}",
        "CPU/turn ms",
        "PG/turn ms",
        "frames/s",
        f"1st token {long} ms",
        "1st token 1 ms",
        f"answer {long} ms",
    )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    for unit, figures in (("token frame", per_frame), ("token", per_token)):
        bare, inproc, redis = (figures[t.name] for t in targets_[:3])
        print(
            f"ratios of CPU per {unit}: in-process/bare {inproc / bare:.1f}x, Redis/bare {redis / bare:.1f}x, "
            f"Redis/in-process {redis / inproc:.2f}x"
        )
    if len(targets_) > 3:
        this, baseline = (median(t.samples[1], lambda turn: turn.cpu_ns) / 1e6 for t in (targets_[1], targets_[3]))
        print(f"CPU per 1-token turn in-process: this checkout {this:.1f} ms, baseline {baseline:.1f} ms "
              f"({this / baseline:.2f}x)")
    print(f"load average at the end: {load()} ({os.cpu_count()} cores)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--long", type=int, default=500, help="tokens of the long answer")
    parser.add_argument("--baseline", type=Path, help="another checkout, served in-process in the same rounds")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for both ragchat servers, e.g. RAGCHAT_TOKEN_COALESCE_MS=0 (repeatable)",
    )
    args = parser.parse_args()
    print(
        f"load average at the start: {load()} ({os.cpu_count()} cores); {args.rounds} rounds, "
        f"{args.long}- and 1-token answers"
    )
    settings = dict(item.split("=", 1) for item in args.env)
    with model_process(serve_model) as model_url, targets(model_url, settings, args.baseline) as made:
        asyncio.run(run(made, args.rounds, args.long))
        report(made, args.long)


if __name__ == "__main__":
    main()
