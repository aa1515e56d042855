"""The production topology under load: PostgreSQL (its own server, TCP), Redis, two `ragchat serve` and two
`ragchat worker` processes; 100 concurrent chat users and a steady stream of uploads. Prints the figures an
operator sizes by; not a test (it asserts nothing and never fails on times).

    .venv/bin/python -m benchmarks.topology [--duration 120] [--users 100] [--uploads-per-second 1]
                                            [--answer-tokens 40] [--token-delay 0.05] [--think 5]

Each chat user signs up, opens an `answering` chat (retrieval over the documents the ingest stream uploads for
it) and asks one question after another, waiting `--think` seconds between an answer and the next question.
Users are spread round-robin over the two APIs. The model is the scripted OpenAI-compatible server of the
tests (in this process), streaming `--answer-tokens` tokens `--token-delay` seconds apart, so the figures are
ragchat's own overhead on top of a model of known speed. Embeddings: the offline hashing embedder.

- turns/s: answers completed (`answer_done`) per second; users ask new questions for `--duration` seconds and
  the window ends when the last question in flight is answered;
- first token: from sending the `message` frame to the first `token` frame, client side (p50/p99);
- ingest chunks/s: chunks of the documents that became `ready` during the window, per second;
- errors: error frames, dropped sockets and failed HTTP calls.
The servers' own view (`/metrics` of both APIs) is printed next to it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import time
import uuid
from dataclasses import dataclass, field

import httpx
import websockets
from prometheus_client.parser import text_string_to_metric_families

from tests.support.api import bearer, signed_up, upload
from tests.support.chat_client import ChatClient
from tests.support.scripted_llm_server import Reply, ScriptedLLMServer
from tests.support.server_process import ServerProcess
from tests.support.topology import METRICS_TOKEN, Topology

TOPICS = ["harbour", "glacier", "orchard", "lighthouse", "quarry", "meadow", "canal", "observatory"]


def _document(n: int) -> bytes:
    topic = TOPICS[n % len(TOPICS)]
    parts = [
        f"## {topic.title()} part {p}\n\n"
        + " ".join(
            f"The {topic} record {n} notes detail{(n * 31 + p * 7 + k) % 211} in section {p}." for k in range(25)
        )
        for p in range(12)
    ]
    return "\n\n".join(parts).encode()


@dataclass
class Figures:
    first_token: list[float] = field(default_factory=list)
    turns: list[float] = field(default_factory=list)
    answered: int = 0
    last_answer_at: float = 0.0
    errors: dict[str, int] = field(default_factory=dict)
    uploaded: list[tuple[dict[str, str], str, ServerProcess]] = field(default_factory=list)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def _chat_user(
    n: int, api: ServerProcess, user: dict[str, str], stop_at: float, think: float, figures: Figures
) -> None:
    async with httpx.AsyncClient(base_url=api.url, timeout=60) as http:
        chat = (await http.post("/chats", headers=bearer(user), json={})).json()
    client = ChatClient(api.ws_url, chat["id"], user["access_token"])
    try:
        await client.connect()
        await asyncio.sleep(think * (n % 20) / 20)  # users arrive spread over one think time, not all at once
        q = 0
        while time.monotonic() < stop_at:
            q += 1
            sent = time.monotonic()
            client_msg_id = await client.send_message(f"What does the {TOPICS[n % len(TOPICS)]} record say? ({q})")
            first: float | None = None
            question_id = None
            while True:
                frame = await client.receive(timeout=120)
                if frame["type"] == "accepted" and frame.get("client_msg_id") == client_msg_id:
                    question_id = frame["message_id"]
                elif frame["type"] == "token" and first is None:
                    first = time.monotonic() - sent
                elif frame["type"] == "answer_done" and frame["reply_to"] == question_id:
                    break
                elif frame["type"] == "error":
                    figures.error(f"error frame {frame.get('code')}")
                    break
            if frame["type"] == "answer_done":  # the question in flight at the end still counts
                figures.answered += 1
                figures.last_answer_at = max(figures.last_answer_at, time.monotonic())
                figures.turns.append(time.monotonic() - sent)
                if first is not None:
                    figures.first_token.append(first)
            await asyncio.sleep(think)
    except (TimeoutError, websockets.ConnectionClosed, OSError) as exc:
        figures.error(type(exc).__name__)
    finally:
        await client.close()


async def _ingest(
    apis: list[ServerProcess], owners: list[dict[str, str]], per_second: float, stop_at: float, figures: Figures
) -> None:
    n = 0
    clients = [httpx.AsyncClient(base_url=api.url, timeout=60) for api in apis]
    try:
        next_at = time.monotonic()
        pending: set[asyncio.Task[None]] = set()
        while time.monotonic() < stop_at:
            index = n % len(owners)
            owner, http, api = owners[index], clients[n % len(clients)], apis[n % len(apis)]

            async def send(
                n: int = n, owner: dict[str, str] = owner, http: httpx.AsyncClient = http, api: ServerProcess = api
            ) -> None:
                try:
                    response = await upload(http, owner, f"record-{n}.md", _document(n), "text/markdown")
                    if response.status_code == 201:
                        figures.uploaded.append((owner, response.json()["id"], api))
                    else:
                        figures.error(f"upload {response.status_code}")
                except httpx.HTTPError as exc:
                    figures.error(f"upload {type(exc).__name__}")

            task = asyncio.create_task(send())
            pending.add(task)
            task.add_done_callback(pending.discard)
            n += 1
            next_at += 1 / per_second
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
        await asyncio.gather(*pending)
    finally:
        for http in clients:
            await http.aclose()


async def _chunks_ready(figures: Figures, apis: list[ServerProcess]) -> tuple[int, int, int]:
    """(documents ready, documents not ready, chunks of the ready ones)."""
    ready = waiting = chunks = 0
    async with httpx.AsyncClient(timeout=60) as http:
        for owner, document_id, api in figures.uploaded:
            body = (await http.get(f"{api.url}/documents/{document_id}", headers=bearer(owner))).json()
            if body["status"] == "ready":
                ready += 1
                chunks += int(body["chunks_total"])
            else:
                waiting += 1
    return ready, waiting, chunks


async def _server_view(api: ServerProcess) -> dict[str, float]:
    async with httpx.AsyncClient(timeout=30) as http:
        text = (await http.get(f"{api.url}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})).text
    view: dict[str, float] = {}
    buckets: list[tuple[float, float]] = []
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == "ragchat_turn_first_token_seconds_bucket":
                buckets.append((float(s.labels["le"]), s.value))
            elif s.name == "ragchat_turns_total":
                view[f"turns {s.labels['outcome']}"] = s.value
            elif s.name in ("ragchat_db_pool_checked_out", "ragchat_job_queue_depth", "ragchat_websockets_open"):
                view[s.name] = s.value
    if buckets and buckets[-1][1]:
        total = buckets[-1][1]
        view["first token p99 <= (s)"] = next(le for le, count in sorted(buckets) if count >= 0.99 * total)
    return view


def _pct(values: list[float], q: float) -> str:
    if not values:
        return "n/a"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000:.0f} ms"


async def main(args: argparse.Namespace) -> None:
    async with ScriptedLLMServer() as llm:
        llm.script(
            *[Reply(tokens=[f" w{i}" for i in range(args.answer_tokens)], token_delay=args.token_delay)] * 1_000_000
        )
        topology = Topology(
            apis=2,
            workers=2,
            llm_base_url=llm.base_url,
            RAGCHAT_WS_MESSAGES_PER_SECOND="100",
            RAGCHAT_WS_MESSAGE_BURST="100",
            RAGCHAT_LOG_LEVEL="WARNING",
        )
        print(f"starting the topology in {topology.root} …", flush=True)
        await asyncio.to_thread(topology.start)
        try:
            apis = topology.apis
            async with contextlib.AsyncExitStack() as stack:
                https = [await stack.enter_async_context(httpx.AsyncClient(base_url=a.url, timeout=120)) for a in apis]
                users = []
                for batch in range(0, args.users, 10):
                    users += await asyncio.gather(
                        *(
                            signed_up(
                                https[i % 2], f"user-{uuid.uuid4().hex[:10]}@bench.test", "a long bench passphrase"
                            )
                            for i in range(batch, min(args.users, batch + 10))
                        )
                    )
            print(f"{len(users)} users signed up; measuring for {args.duration:.0f} s …", flush=True)
            figures = Figures()
            started = time.monotonic()
            stop_at = started + args.duration
            await asyncio.gather(
                _ingest(apis, users, args.uploads_per_second, stop_at, figures),
                *(_chat_user(i, apis[i % 2], user, stop_at, args.think, figures) for i, user in enumerate(users)),
            )
            elapsed = max(args.duration, figures.last_answer_at - started)
            load = os.getloadavg()[0]
            ready, waiting, chunks = await _chunks_ready(figures, apis)
            views = [await _server_view(api) for api in apis]
        finally:
            await asyncio.to_thread(topology.stop)
            topology.cleanup()

    print(
        f"\n=== topology: 2 APIs, 2 workers, {args.users} chat users, {args.uploads_per_second}/s uploads, "
        f"{elapsed:.0f} s (new questions for {args.duration:.0f} s, then the last ones finish); "
        f"load average {load:.1f} on {os.cpu_count()} cores ==="
    )
    print(
        f"turns/s             {figures.answered / elapsed:.1f}  ({figures.answered} answers; "
        f"model: {args.answer_tokens} tokens every {args.token_delay * 1000:.0f} ms)"
    )
    print(f"first token         p50 {_pct(figures.first_token, 0.50)}   p99 {_pct(figures.first_token, 0.99)}")
    print(f"whole turn          p50 {_pct(figures.turns, 0.50)}   p99 {_pct(figures.turns, 0.99)}")
    print(
        f"ingest              {chunks / elapsed:.1f} chunks/s  ({ready} documents ready, {waiting} not yet, "
        f"{len(figures.uploaded)} uploaded)"
    )
    print(f"errors              {sum(figures.errors.values())}  {figures.errors or ''}")
    for api, view in zip(apis, views, strict=True):
        print(f"server {api.url:24s} {view}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=120.0, help="measured seconds (default 120)")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--uploads-per-second", type=float, default=1.0)
    parser.add_argument("--answer-tokens", type=int, default=40)
    parser.add_argument("--token-delay", type=float, default=0.05, help="seconds between tokens (0.05: 20/s)")
    parser.add_argument("--think", type=float, default=5.0, help="seconds between an answer and the next question")
    asyncio.run(main(parser.parse_args()))
