"""Redis round trips per token frame and frames/s of one turn's delivery, with a zero-delay fake model.

Runs real turns through the bus (in-memory persistence, a throwaway ``redis-server`` for the chat state, so the
delivery log, frame bus and stop signals are the Redis adapters). Timed turns run first; one more turn runs under
``MONITOR`` to count the commands clients sent (each a round trip) apart from those Lua scripts ran. A socket's
subscription in the same process receives the frames, so frames/s is what one client would get. Prints figures;
not a test.

    .venv/bin/python -m benchmarks.delivery_round_trips [--tokens 500] [--turns 5] [--pace-ms 0] [--coalesce-ms 30]
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

from application.commands import CreateChat, RegisterUser, SendMessage
from application.frames import AnswerDoneFrame, ErrorFrame, ServerFrame, TokenFrame
from application.ports.chat_model import ChatModel, CompletionRequest, TextDelta, Usage
from application.ports.frame_bus import FrameBus
from domain.stages import Stage
from tests.support.memory_app import MemoryApp, memory_app
from tests.support.redis_monitor import round_trips
from tests.support.redis_server import RedisServer, _free_port


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


async def run(tokens: int, turns: int, pace: float, coalesce_ms: float, url: str) -> None:
    model = FastModel(tokens, pace)
    async with memory_app(model_provider(model), redis_url=url, token_coalesce_ms=coalesce_ms) as app:
        user = await app.dispatch(RegisterUser(email="bench@example.com", password="a fine passphrase"))
        chat = await app.dispatch(CreateChat(owner_id=user.id, title="bench", stage=Stage.TEST))
        await one_turn(app, user.id, chat.id, 0)  # warm up: scripts loaded, connections open
        timed = [await one_turn(app, user.id, chat.id, n) for n in range(1, turns + 1)]
        async with round_trips(url) as seen:
            frames, _ = await one_turn(app, user.id, chat.id, turns + 1)
    elapsed = statistics.median(t for _, t in timed)
    token_frames = statistics.median(sum(isinstance(f, TokenFrame) for f in fs) for fs, _ in timed)
    all_frames = statistics.median(len(fs) for fs, _ in timed)
    print(f"{tokens} tokens per answer, {turns} turns, model pace {pace * 1000:.1f} ms, coalescing {coalesce_ms} ms")
    print(f"  token frames per turn: {token_frames:.0f} (all frames {all_frames:.0f})")
    print(f"  turn time, send to answer_done at the subscriber (median): {elapsed * 1000:.1f} ms")
    print(f"  frames/s to one subscriber: {all_frames / elapsed:.0f}; tokens/s: {tokens / elapsed:.0f}")
    counted = len(frames)
    top, inner = Counter(seen.commands), Counter(seen.scripted)
    print(
        f"  redis round trips in one turn: {len(seen.commands)} for {counted} frames and {tokens} tokens: "
        f"{len(seen.commands) / counted:.2f} per frame, {len(seen.commands) / tokens:.2f} per token"
    )
    print("  round trips: " + ", ".join(f"{n} {c}" for n, c in top.most_common()))
    print("  inside scripts: " + ", ".join(f"{n} {c}" for n, c in inner.most_common()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokens", type=int, default=500)
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--pace-ms", type=float, default=0.0)
    parser.add_argument("--coalesce-ms", type=float, default=30.0)
    args = parser.parse_args()
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed")
    with tempfile.TemporaryDirectory() as workdir:
        server = RedisServer(binary, _free_port(), Path(workdir))
        server.start()
        try:
            asyncio.run(run(args.tokens, args.turns, args.pace_ms / 1000, args.coalesce_ms, server.url))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
