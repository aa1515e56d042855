"""Redis round trips per token frame and frames/s of one turn's delivery, with a zero-delay fake model.

Runs real turns through the bus (in-memory persistence, a throwaway ``redis-server`` for the chat state, so the
delivery log, frame bus and stop signals are the Redis adapters) and counts the commands Redis executed with
``INFO commandstats``: top-level calls (each a round trip) apart from the commands scripts ran inside. A socket's
subscription in the same process receives the frames, so frames/s is what one client would get. Prints figures;
not a test.

    .venv/bin/python -m benchmarks.delivery_round_trips [--tokens 500] [--turns 5] [--pace-ms 0]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncGenerator
from pathlib import Path

from dishka import Provider, Scope, provide
from redis.asyncio import Redis

from adapters.redis.client import connect_redis
from application.commands import CreateChat, RegisterUser, SendMessage
from application.frames import AnswerDoneFrame, ErrorFrame, ServerFrame, TokenFrame
from application.ports.chat_model import ChatModel, CompletionRequest, TextDelta, Usage
from application.ports.frame_bus import FrameBus
from domain.stages import Stage
from tests.support.memory_app import MemoryApp, memory_app
from tests.support.redis_server import RedisServer, _free_port

TOP_LEVEL = {"evalsha", "eval", "get", "publish", "incr", "expire", "multi", "exec", "set", "del"}
"""Commands a client sends itself; the rest in commandstats ran inside Lua scripts (no round trip)."""


class FastModel:
    """``tokens`` deltas as fast as the loop takes them (``pace`` seconds apart when set)."""

    def __init__(self, tokens: int, pace: float) -> None:
        self.tokens = tokens
        self.pace = pace

    @property
    def name(self) -> str:
        return "fast"

    async def stream(self, request: CompletionRequest) -> AsyncGenerator[TextDelta | Usage, None]:
        for i in range(self.tokens):
            if self.pace:
                await asyncio.sleep(self.pace)
            yield TextDelta(text=f"t{i} ")
        yield Usage(prompt_tokens=10, completion_tokens=self.tokens)


def model_provider(model: FastModel) -> Provider:
    class FastModelProvider(Provider):
        @provide(scope=Scope.APP)
        def chat_model(self) -> ChatModel:
            return model

    return FastModelProvider()


async def command_counts(client: Redis) -> Counter[str]:
    stats = await client.info("commandstats")
    return Counter({name.removeprefix("cmdstat_"): int(value["calls"]) for name, value in stats.items()})


async def one_turn(app: MemoryApp, owner: uuid.UUID, chat: uuid.UUID, n: int) -> tuple[list[ServerFrame], float]:
    bus = await app.container.get(FrameBus)
    received: list[ServerFrame] = []
    async with bus.subscribe(chat) as frames:
        await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id=f"m{n}", text="go"))
        [job] = (await app.turns()).take_all()
        started = time.perf_counter()
        turn = asyncio.create_task(app.dispatch(job))
        async for frame in frames:
            received.append(frame)
            if isinstance(frame, AnswerDoneFrame | ErrorFrame):
                break
        elapsed = time.perf_counter() - started
        await turn
    return received, elapsed


async def run(tokens: int, turns: int, pace: float, url: str) -> None:
    client = connect_redis(url)
    async with memory_app(model_provider(FastModel(tokens, pace)), redis_url=url) as app:
        user = await app.dispatch(RegisterUser(email="bench@example.com", password="a fine passphrase"))
        chat = await app.dispatch(CreateChat(owner_id=user.id, title="bench", stage=Stage.TEST))
        await one_turn(app, user.id, chat.id, 0)  # warm up: scripts loaded, connections open
        rows = []
        for n in range(1, turns + 1):
            before = await command_counts(client)
            frames, elapsed = await one_turn(app, user.id, chat.id, n)
            used = await command_counts(client) - before
            used["info"] -= 1
            token_frames = sum(isinstance(f, TokenFrame) for f in frames)
            rows.append((token_frames, len(frames), elapsed, +used))
    await client.aclose()
    median_token_frames = statistics.median(r[0] for r in rows)
    elapsed = statistics.median(r[2] for r in rows)
    total: Counter[str] = Counter()
    for row in rows:
        total.update(row[3])
    frames_per_turn = statistics.median(r[1] for r in rows)
    print(f"{tokens} tokens per answer, {turns} turns, model pace {pace * 1000:.1f} ms (medians)")
    print(f"  token frames per turn: {median_token_frames:.0f} (all frames {frames_per_turn:.0f})")
    print(f"  turn time (send to answer_done at the subscriber): {elapsed * 1000:.1f} ms")
    print(f"  frames/s to one subscriber: {frames_per_turn / elapsed:.0f}; tokens/s: {tokens / elapsed:.0f}")
    top = {name: calls for name, calls in total.items() if name in TOP_LEVEL}
    inner = {name: calls for name, calls in total.items() if name not in TOP_LEVEL}
    round_trips = sum(top.values()) / turns
    print(f"  redis round trips per turn: {round_trips:.1f}; per frame: {round_trips / frames_per_turn:.2f}")
    print(
        "  top-level per frame: " + ", ".join(f"{n} {c / turns / frames_per_turn:.2f}" for n, c in sorted(top.items()))
    )
    print(
        "  inside scripts per frame: "
        + ", ".join(f"{n} {c / turns / frames_per_turn:.2f}" for n, c in sorted(inner.items()))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokens", type=int, default=500)
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--pace-ms", type=float, default=0.0)
    args = parser.parse_args()
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed")
    with tempfile.TemporaryDirectory() as workdir:
        server = RedisServer(binary, _free_port(), Path(workdir))
        server.start()
        try:
            asyncio.run(run(args.tokens, args.turns, args.pace_ms / 1000, server.url))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
