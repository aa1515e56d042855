"""Time to first token and tokens/s of the model adapter against the real llama.cpp server (Gemma 3 270M),
and how fast a turn fails while the circuit breaker is open. Prints figures; not a test.

    .venv/bin/python -m benchmarks.llm_stream [--runs 5] [--max-tokens 128]
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import time
from contextlib import aclosing

from adapters.llm.circuit_breaker import CircuitBreaker
from adapters.llm.openai_chat import ModelTimeouts, OpenAIChatModel
from adapters.llm.retry_policy import ModelRetryPolicy
from application.errors import ModelUnavailable
from application.ports.chat_model import CompletionRequest, TextDelta, Usage
from application.prompting.prompt_builder import PromptLimits, build_completion_request
from domain.documents import Passage
from domain.stages import Stage
from tests.support.llama_server import gemma_model_file, running_llama_server
from tests.unit.prompting.factories import passage

PASSAGES: list[Passage] = [
    passage("Adult cats sleep between twelve and sixteen hours a day; kittens and old cats sleep more.", page=3),
    passage("Cats are crepuscular: they are most active at dawn and dusk.", filename="behaviour.md"),
]


async def one_run(model: OpenAIChatModel, request: CompletionRequest) -> tuple[float, float, int, Usage]:
    start = time.perf_counter()
    first = 0.0
    deltas = 0
    usage: Usage | None = None
    async with aclosing(model.stream(request)) as stream:
        async for item in stream:
            if isinstance(item, TextDelta):
                deltas += 1
                first = first or time.perf_counter() - start
            else:
                usage = item
    assert usage is not None
    return first, time.perf_counter() - start, deltas, usage


async def stream_figures(url: str, runs: int, max_tokens: int) -> None:
    model = OpenAIChatModel(
        base_url=url,
        model="gemma-3-270m",
        merge_system_prompt=True,
        timeouts=ModelTimeouts(total_seconds=300),
    )

    def request(run: int) -> CompletionRequest:
        """A different first passage per run, so llama.cpp's prompt cache cannot skip the prompt."""
        first = passage(f"Note {run}: {PASSAGES[0].text}", page=3)
        return build_completion_request(
            stage=Stage.ANSWERING,
            question="How long do cats sleep, and when are they active?",
            passages=[first, *PASSAGES[1:]],
            limits=PromptLimits(max_answer_tokens=max_tokens),
        )

    await one_run(model, request(-1))  # warm-up: weights into the page cache
    ttfts, rates = [], []
    for i in range(runs):
        ttft, total, deltas, usage = await one_run(model, request(i))
        rate = (deltas - 1) / (total - ttft) if deltas > 1 and total > ttft else 0.0
        ttfts.append(ttft)
        rates.append(rate)
        counted = f"{usage.prompt_tokens}+{usage.completion_tokens} (estimated: {usage.estimated})"
        print(f"run {i + 1}: ttft {ttft * 1000:.0f} ms, {deltas} deltas in {total:.2f} s, usage {counted}")
    print(f"median time to first token: {statistics.median(ttfts) * 1000:.0f} ms")
    print(f"median streaming rate: {statistics.median(rates):.1f} tokens/s (one delta per token in llama.cpp)")
    await model.aclose()


async def breaker_figures(calls: int = 1000) -> None:
    with socket.socket() as sock:  # a port nobody listens on: connection refused
        sock.bind(("127.0.0.1", 0))
        dead_url = f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    model = OpenAIChatModel(
        base_url=dead_url,
        model="none",
        retry=ModelRetryPolicy(max_attempts=1),
        breaker=CircuitBreaker(failure_threshold=1, cool_down_seconds=3600),
    )
    request = build_completion_request(stage=Stage.TEST, question="hi")
    timings = []
    for _ in range(calls + 1):
        start = time.perf_counter()
        try:
            async with aclosing(model.stream(request)) as stream:
                async for _item in stream:
                    pass
        except ModelUnavailable:
            timings.append(time.perf_counter() - start)
    print(f"first failure (connection refused, breaker closed): {timings[0] * 1000:.2f} ms")
    fast = sorted(timings[1:])
    print(
        f"fail-fast with the breaker open over {calls} calls: median {statistics.median(fast) * 1e6:.0f} µs, "
        f"p99 {fast[int(len(fast) * 0.99)] * 1e6:.0f} µs"
    )
    await model.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=None, help="llama.cpp threads (default: half the cores)")
    args = parser.parse_args()
    with running_llama_server(gemma_model_file(), n_threads=args.threads) as url:
        asyncio.run(stream_figures(url, args.runs, args.max_tokens))
    asyncio.run(breaker_figures())


if __name__ == "__main__":
    main()
