"""CPU of the chat model adapter (``OpenAIChatModel.stream``, which sends its request over aiohttp itself) against
the openai SDK's own streaming call (``chat.completions.create(stream=True)``) over the SDK's two HTTP transports:
its default (httpx2 → httpcore2 → anyio) and its ``aiohttp`` extra. Prints figures; not a test.

    .venv/bin/python -m benchmarks.model_transport [--rounds 4] [--answers 200] [--tokens 100] [--seconds 3]

A fake OpenAI-compatible model (the scripted server of the tests, in a process of its own) streams ``--tokens``
tokens over ``--seconds`` to ``--answers`` concurrent calls (paced: each chunk is a read of its own, as from a real
model), then the same unpaced to one call, then one-token answers one after another (what a call costs apart
from its tokens: the request, its response headers, the connection back to the pool); the candidates run
alternately, and the process CPU time of the reading side is divided by the events read (or the calls made).
Medians of ``--rounds``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from contextlib import aclosing

import openai

from adapters.llm.openai_chat import OpenAIChatModel
from application.ports.chat_model import CompletionRequest, PromptMessage
from benchmarks.model_process import model_process
from tests.support.scripted_llm_server import Reply, ScriptedLLMServer

REQUEST = CompletionRequest(messages=[PromptMessage(role="user", content="hello")], question="hello")


def serve_model(port: int, tokens: int, seconds: float) -> None:
    async def run() -> None:
        reply = Reply(tokens=[f" t{i}" for i in range(tokens)], token_delay=seconds / tokens)
        async with ScriptedLLMServer(port=port) as model:
            model.script(*[reply] * 1_000_000)
            await asyncio.Event().wait()

    asyncio.run(run())


class SdkCall:
    """The SDK's own streaming call, each chunk parsed into its typed ``ChatCompletionChunk``."""

    def __init__(self, url: str, http_client: openai.DefaultAsyncHttpxClient) -> None:
        self._client = openai.AsyncOpenAI(base_url=url, api_key="bench", max_retries=0, http_client=http_client)

    async def answer(self) -> int:
        events = 0
        stream = await self._client.chat.completions.create(
            model="scripted", messages=[{"role": "user", "content": "hello"}], stream=True,
            stream_options={"include_usage": True},
        )  # fmt: skip
        async with stream:
            async for _ in stream:
                events += 1
        return events

    async def aclose(self) -> None:
        await self._client.close()


class AdapterCall:
    def __init__(self, url: str) -> None:
        self._model = OpenAIChatModel(base_url=url, model="scripted")

    async def answer(self) -> int:
        events = 0
        async with aclosing(self._model.stream(REQUEST)) as stream:
            async for _ in stream:
                events += 1
        return events

    async def aclose(self) -> None:
        await self._model.aclose()


def models(url: str) -> dict[str, SdkCall | AdapterCall]:
    return {
        "SDK, httpx2 (default)": SdkCall(url, openai.DefaultAsyncHttpxClient()),
        "SDK, aiohttp extra": SdkCall(url, openai.DefaultAioHttpClient()),
        "adapter (aiohttp)": AdapterCall(url),
    }


async def measure(url: str, concurrency: int, rounds: int, one_after_another: int = 1) -> dict[str, float]:
    """CPU per event, or per call when ``one_after_another`` calls run in turn (``concurrency`` 1)."""
    candidates = models(url)
    for model in candidates.values():
        await model.answer()  # connections and first-call imports out of the figures
    samples: dict[str, list[float]] = {name: [] for name in candidates}
    for r in range(rounds):
        order = list(candidates.items())
        for name, model in order if r % 2 == 0 else reversed(order):
            began = time.process_time()
            events = 0
            for _ in range(one_after_another):
                events += sum(await asyncio.gather(*(model.answer() for _ in range(concurrency))))
            spent = time.process_time() - began
            samples[name].append(spent / (one_after_another if one_after_another > 1 else events) * 1e6)
    for model in candidates.values():
        await model.aclose()
    return {name: statistics.median(values) for name, values in samples.items()}


def report(title: str, figures: dict[str, float], unit: str = "event") -> None:
    print(f"--- {title}; load average {os.getloadavg()[0]:.2f}")
    base = figures["SDK, httpx2 (default)"]
    for name, micros in figures.items():
        print(f"    {name:22s} {micros:7.1f} µs CPU per {unit}  ({micros / base:.2f} times the SDK's default)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--answers", type=int, default=200)
    parser.add_argument("--tokens", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    with model_process(serve_model, args.tokens, args.seconds) as url:
        figures = asyncio.run(measure(url, args.answers, args.rounds))
    report(f"{args.answers} answers at once, {args.tokens} tokens over {args.seconds:g} s each", figures)
    with model_process(serve_model, 500, 0.0) as url:
        figures = asyncio.run(measure(url, 1, args.rounds * 2))
    report("one answer of 500 tokens sent without pause", figures)
    with model_process(serve_model, 1, 0.0) as url:
        figures = asyncio.run(measure(url, 1, args.rounds, one_after_another=300))
    report("300 one-token answers, one after another", figures, unit="call")


if __name__ == "__main__":
    main()
