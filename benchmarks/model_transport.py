"""CPU per stream event of the chat model adapter (``OpenAIChatModel.stream``) over the SDK's two HTTP transports:
its default (httpx2 → httpcore2 → anyio) and its ``aiohttp`` extra, which the adapter uses. Prints figures; not
a test.

    .venv/bin/python -m benchmarks.model_transport [--rounds 4] [--answers 200] [--tokens 100] [--seconds 3]

A fake OpenAI-compatible model (the scripted server of the tests, in a process of its own) streams ``--tokens``
tokens over ``--seconds`` to ``--answers`` concurrent calls (paced: each chunk is a read of its own, as from a real
model), then the same unpaced to one call; the two transports run alternately, and the process CPU time of the
reading side is divided by the events read. Medians of ``--rounds``.
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


def models(url: str) -> dict[str, OpenAIChatModel]:
    aiohttp_model = OpenAIChatModel(base_url=url, model="scripted")
    httpx_model = OpenAIChatModel(base_url=url, model="scripted")
    default_client = httpx_model._client  # the benchmark swaps the transport under test
    httpx_model._client = default_client.with_options(
        http_client=openai.DefaultAsyncHttpxClient(timeout=default_client.timeout)
    )
    return {"httpx2 (SDK default)": httpx_model, "aiohttp (adapter)": aiohttp_model}


async def answer(model: OpenAIChatModel) -> int:
    events = 0
    async with aclosing(model.stream(REQUEST)) as stream:
        async for _ in stream:
            events += 1
    return events


async def measure(url: str, concurrency: int, rounds: int) -> dict[str, float]:
    candidates = models(url)
    for model in candidates.values():
        await answer(model)  # connections and first-call imports out of the figures
    samples: dict[str, list[float]] = {name: [] for name in candidates}
    for r in range(rounds):
        order = list(candidates.items())
        for name, model in order if r % 2 == 0 else reversed(order):
            began = time.process_time()
            events = sum(await asyncio.gather(*(answer(model) for _ in range(concurrency))))
            samples[name].append((time.process_time() - began) / events * 1e6)
    for model in candidates.values():
        await model.aclose()
    return {name: statistics.median(values) for name, values in samples.items()}


def report(title: str, figures: dict[str, float]) -> None:
    print(f"--- {title}; load average {os.getloadavg()[0]:.2f}")
    base = figures["httpx2 (SDK default)"]
    for name, micros in figures.items():
        print(f"    {name:22s} {micros:6.1f} µs CPU per event  ({micros / base:.2f} times the default)")


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


if __name__ == "__main__":
    main()
