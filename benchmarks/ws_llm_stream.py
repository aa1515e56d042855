"""Time to first token and tokens/s through the whole stack — WebSocket → `ragchat serve` (embedded mode,
retrieval over a small document) → llama.cpp serving Gemma 3 270M — and how fast a turn fails over the same
socket while the circuit breaker is open. Prints figures; not a test.

    .venv/bin/python -m benchmarks.ws_llm_stream [--turns 10] [--max-tokens 64] [--fail-fast-turns 20]

Time to first token is measured from sending the ``message`` frame to receiving the first ``token`` frame; the
streaming rate is token frames after the first divided by the time from the first to the last token frame.
Each turn opens a fresh chat, so no rolling-summary job competes with the answer for the model. Two series: one
document for every turn (llama.cpp reuses the cached prompt prefix), and a new document per turn (it cannot).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import socket
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.support.api import bearer, signed_up, upload, wait_for_status
from tests.support.chat_client import ChatClient
from tests.support.llama_server import gemma_model_file, running_llama_server
from tests.support.server_process import ServerProcess

GUIDE = (
    b"# Cats\n\nAdult cats sleep between twelve and sixteen hours a day. Kittens and old cats sleep even more.\n\n"
    b"# Activity\n\nCats are crepuscular: they are most active at dawn and at dusk.\n\n"
    b"# Food\n\nCats are obligate carnivores and need taurine, which only animal tissue provides.\n"
)
QUESTIONS = [
    "How long do cats sleep each day?",
    "When are cats most active?",
    "What do cats need to eat?",
    "Do kittens sleep more than adult cats?",
    "What does crepuscular mean for a cat?",
]


@contextmanager
def ragchat_server(**settings: str) -> Iterator[ServerProcess]:
    """A real `ragchat serve` in embedded mode on a throw-away data folder."""
    root = Path(tempfile.mkdtemp(prefix="ragchat-bench-"))
    env = {
        "RAGCHAT_DATA_DIR": str(root / "data"),
        "RAGCHAT_EMBEDDER": "hashing",
        "RAGCHAT_WS_MESSAGES_PER_SECOND": "1000",
        "RAGCHAT_WS_MESSAGE_BURST": "1000",
        **settings,
    }
    server = ServerProcess(env, log_path=root / "server.log").start(timeout=120)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def one_turn(
    server: ServerProcess, http: httpx.AsyncClient, user: dict[str, str], question: str
) -> tuple[float, float, int]:
    """(time to first token, tokens/s, token frames) of one answer in a fresh chat."""
    chat = (await http.post("/chats", headers=bearer(user), json={"title": "bench"})).json()
    client = ChatClient(server.ws_url, chat["id"], user["access_token"])
    await client.connect()
    start = time.perf_counter()
    await client.send_message(question)
    stamps: list[float] = []
    while (frame := await client.receive(timeout=300))["type"] != "answer_done":
        if frame["type"] == "token":
            stamps.append(time.perf_counter())
        assert frame["type"] != "error", frame
    await client.close()
    assert stamps, "the model answered nothing"
    rate = (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 else 0.0
    return stamps[0] - start, rate, len(stamps)


async def user_with_document(http: httpx.AsyncClient, note: str = "") -> dict[str, str]:
    user = await signed_up(http)
    doc = (await upload(http, user, "cats.md", note.encode() + GUIDE, "text/markdown")).json()
    assert (await wait_for_status(http, user, doc["id"]))["status"] == "ready"
    return user


async def stream_figures(server: ServerProcess, turns: int, fresh_passages: bool) -> None:
    """``fresh_passages``: every turn asks a new user whose document starts with a unique line, so llama.cpp's
    prompt cache can reuse only the system prompt; otherwise one document, and only the question varies."""
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
        user = await user_with_document(http)
        await one_turn(server, http, user, "Warm-up: what is this document about?")  # weights into page cache
        ttfts, rates, counts = [], [], []
        for i in range(turns):
            if fresh_passages:
                user = await user_with_document(http, f"Note {i}: written for benchmark turn {i}.\n\n")
            ttft, rate, count = await one_turn(server, http, user, QUESTIONS[i % len(QUESTIONS)])
            ttfts.append(ttft)
            rates.append(rate)
            counts.append(count)
            print(f"turn {i + 1}: first token {ttft * 1000:.0f} ms, {count} token frames, {rate:.1f} tokens/s")
    kind = "a new document each turn" if fresh_passages else "one document, the question varies"
    print(
        f"[{kind}] time to first token over {turns} turns: median {statistics.median(ttfts) * 1000:.0f} ms, "
        f"p90 {percentile(ttfts, 0.9) * 1000:.0f} ms"
    )
    print(
        f"[{kind}] streaming rate: median {statistics.median(rates):.1f} tokens/s, "
        f"p10 {percentile(rates, 0.1):.1f} tokens/s (median {statistics.median(counts):.0f} token frames/answer)"
    )


async def fail_fast_figures(server: ServerProcess, turns: int) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
        user = await signed_up(http)
        chat = (await http.post("/chats", headers=bearer(user), json={"stage": "test"})).json()
        client = ChatClient(server.ws_url, chat["id"], user["access_token"])
        await client.connect()
        timings = []
        for _ in range(turns + 1):  # the first turn meets a closed breaker: connection refused opens it
            start = time.perf_counter()
            client_msg_id = await client.send_message("hello?")
            error = await client.until("error", client_msg_id=client_msg_id)
            timings.append(time.perf_counter() - start)
            assert (error["code"], error["retryable"]) == ("model_unavailable", True), error
        await client.close()
        checks = (await http.get("/ready")).json()["checks"]
    breaker = next(c["detail"] for c in checks if c["name"] == "model")
    print(f"first failure (connection refused, breaker closed): {timings[0] * 1000:.1f} ms")
    print(
        f"fail-fast with the breaker {breaker} over {turns} turns (send → error frame): "
        f"median {statistics.median(timings[1:]) * 1000:.1f} ms, p90 {percentile(timings[1:], 0.9) * 1000:.1f} ms"
    )


def dead_base_url() -> str:
    with socket.socket() as sock:  # a port nobody listens on: connection refused
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/v1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--fail-fast-turns", type=int, default=20)
    args = parser.parse_args()
    with (
        running_llama_server(gemma_model_file()) as url,
        ragchat_server(
            RAGCHAT_LLM_BASE_URL=url,
            RAGCHAT_LLM_MODEL="gemma-3-270m",
            RAGCHAT_LLM_MERGE_SYSTEM_PROMPT="true",
            RAGCHAT_LLM_MAX_ANSWER_TOKENS=str(args.max_tokens),
            RAGCHAT_LLM_FIRST_TOKEN_TIMEOUT_SECONDS="120",
        ) as server,
    ):
        asyncio.run(stream_figures(server, args.turns, fresh_passages=False))
        asyncio.run(stream_figures(server, args.turns, fresh_passages=True))
    with ragchat_server(
        RAGCHAT_LLM_BASE_URL=dead_base_url(),
        RAGCHAT_LLM_MODEL="none",
        RAGCHAT_LLM_MAX_ATTEMPTS="1",
        RAGCHAT_LLM_BREAKER_FAILURE_THRESHOLD="1",
        RAGCHAT_LLM_BREAKER_COOL_DOWN_SECONDS="3600",
    ) as server:
        asyncio.run(fail_fast_figures(server, args.fail_fast_turns))


if __name__ == "__main__":
    main()
