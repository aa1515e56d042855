"""The production path end to end: PostgreSQL as its own server (TCP, migrated by `ragchat migrate`), Redis, two
`ragchat serve` and two `ragchat worker` processes, an OpenAI-compatible model streaming slowly and a slow
embeddings endpoint. Users on both APIs upload, ask and resume; one worker is killed (-9) in the middle of
indexing and one API gets SIGTERM in the middle of an answer. Afterwards every document is ready, every question
is answered exactly once, every client's transcript equals the stored history, and the metrics agree."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import websockets
from prometheus_client.parser import text_string_to_metric_families
from redis.asyncio import Redis

from adapters.jobs.arq_names import ArqNames
from tests.support.api import bearer, signed_up, upload
from tests.support.chat_client import ChatClient
from tests.support.scripted_llm_server import Reply, ScriptedLLMServer
from tests.support.server_process import ServerProcess, WorkerProcess
from tests.support.slow_embeddings_server import SlowEmbeddingsServer
from tests.support.topology import METRICS_TOKEN, Topology

USERS = 4  # users 0 and 1 on API A (which gets SIGTERM), 2 and 3 on API B
QUESTIONS = 3
DOCUMENTS_PER_USER = 2
ANSWER = [f" word{i:02d}" for i in range(60)]
TOKEN_DELAY = 0.05  # about 3 s per answer: long enough to be cut by a 2 s drain
DEADLINE = 90.0
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def _document(user: int, number: int) -> bytes:
    paragraphs = [
        f"## Part {p}\n\nTopic{user} item{number} paragraph{p} "
        + " ".join(f"term{(user * 7 + number * 3 + p + k) % 97}" for k in range(60))
        for p in range(40)
    ]
    return "\n\n".join(paragraphs).encode()


class RoamingClient:
    """A chat client that behaves like the web UI: on 1012 it reconnects (through "the balancer": to the other
    API) and resumes; a message not yet accepted is re-sent with the same client_msg_id."""

    def __init__(self, api: ServerProcess, other: ServerProcess, chat_id: str, token: str) -> None:
        self.api, self.other, self.chat_id = api, other, chat_id
        self.client = ChatClient(api.ws_url, chat_id, token)
        self.transcript: list[tuple[str, str]] = []
        self.close_codes: list[int | None] = []
        self.on_token: Any = None

    async def move(self) -> None:
        self.api, self.other = self.other, self.api
        self.client.url = f"{self.api.ws_url}/chat/ws?chat_id={self.chat_id}"
        await self.client.connect(resume=True)

    async def ask(self, text: str, drop_after_first_token: bool = False) -> None:
        client_msg_id = await self.client.send_message(text)
        question_id: str | None = None
        while True:
            try:
                frame = await self.client.receive(timeout=DEADLINE)
            except websockets.ConnectionClosed as closed:
                self.close_codes.append(closed.rcvd.code if closed.rcvd else None)
                await self.move()
                if question_id is None:
                    await self.client.send_message(text, client_msg_id)
                continue
            if frame["type"] == "accepted" and frame["client_msg_id"] == client_msg_id:
                question_id = frame["message_id"]
            elif frame["type"] == "token" and self.on_token is not None:
                self.on_token(self)
            elif frame["type"] == "token" and drop_after_first_token:
                drop_after_first_token = False  # a plain network drop: reconnect to the same API and resume
                await self.client.close()
                await self.client.connect(resume=True)
            elif frame["type"] == "answer_done" and frame["reply_to"] == question_id:
                self.transcript.append((text, self.client.answer_text(frame["message_id"])))
                return
            elif frame["type"] == "error":
                raise AssertionError(f"unexpected error frame: {frame}")


def _samples(text: str) -> Samples:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def _metrics(url: str) -> Samples:
    async with httpx.AsyncClient(timeout=10) as http:
        response = await http.get(url, headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert response.status_code == 200, response.text
    return _samples(response.text)


def _value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
async def services() -> AsyncIterator[tuple[ScriptedLLMServer, SlowEmbeddingsServer]]:
    async with ScriptedLLMServer() as llm, SlowEmbeddingsServer(delay_seconds=0.2) as embeddings:
        llm.script(*[Reply(tokens=ANSWER, token_delay=TOKEN_DELAY)] * 200)
        yield llm, embeddings


@pytest.fixture
async def topology(services: tuple[ScriptedLLMServer, SlowEmbeddingsServer]) -> AsyncIterator[Topology]:
    llm, embeddings = services
    topology = Topology(
        apis=2,
        workers=2,
        llm_base_url=llm.base_url,
        embeddings_base_url=embeddings.base_url,
        RAGCHAT_DRAIN_SECONDS="2",
        RAGCHAT_EMBED_BATCH_SIZE="4",
        RAGCHAT_WORKER_HEALTH_CHECK_SECONDS="1",
        RAGCHAT_WORKER_LEASE_SECONDS="6",  # the killed worker's jobs are freed 6 s after the kill
        RAGCHAT_SWEEP_INTERVAL_SECONDS="1",
        RAGCHAT_UNANSWERED_AFTER_SECONDS="600",  # only the drain's hand-back can answer a cut turn in time
        RAGCHAT_WS_MESSAGES_PER_SECOND="20",
    )
    try:
        yield await asyncio.to_thread(topology.start)
    finally:
        await asyncio.to_thread(topology.stop)
        topology.cleanup()


async def _kill_a_worker_mid_index(topology: Topology) -> WorkerProcess:
    """SIGKILLs the worker that is running an indexing job (found by the pid in its worker id); returns the
    survivor."""
    names = ArqNames()
    redis = Redis.from_url(topology.redis.url)
    try:
        async with asyncio.timeout(DEADLINE):
            while True:
                running = {k.decode(): v.decode() for k, v in (await redis.hgetall(names.running)).items()}
                pids = {int(worker.split(":")[1]) for key, worker in running.items() if ":index:" in key}
                victims = [w for w in topology.workers if w.pid in pids]
                if victims:
                    break
                await asyncio.sleep(0.02)
    finally:
        await redis.aclose()
    victims[0].kill()
    [survivor] = [w for w in topology.workers if w is not victims[0]]
    return survivor


async def test_two_apis_two_workers_survive_a_sigterm_and_a_kill(topology: Topology) -> None:
    api_a, api_b = topology.apis
    homes = [api_a, api_a, api_b, api_b]
    https = [httpx.AsyncClient(base_url=home.url, timeout=30) for home in homes]
    try:
        users = [await signed_up(http) for http in https]
        uploads = await asyncio.gather(
            *(
                upload(http, user, f"notes-{i}-{n}.md", _document(i, n), "text/markdown")
                for i, (http, user) in enumerate(zip(https, users, strict=True))
                for n in range(DOCUMENTS_PER_USER)
            )
        )
        assert all(r.status_code == 201 for r in uploads), [r.text for r in uploads]

        survivor = await _kill_a_worker_mid_index(topology)

        async with httpx.AsyncClient(base_url=api_b.url, timeout=30) as on_b:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + DEADLINE
            for user in users:
                while True:
                    items = (await on_b.get("/documents", headers=bearer(user))).json()["items"]
                    if len(items) == DOCUMENTS_PER_USER and all(d["status"] == "ready" for d in items):
                        break
                    assert all(d["status"] != "failed" for d in items), items
                    assert loop.time() < deadline, f"documents never all ready: {items}"
                    await asyncio.sleep(0.2)

            chats = [
                (await http.post("/chats", headers=bearer(user), json={})).json()
                for http, user in zip(https, users, strict=True)
            ]
            clients = [
                RoamingClient(home, api_b if home is api_a else api_a, chat["id"], user["access_token"])
                for home, chat, user in zip(homes, chats, users, strict=True)
            ]
            for client in clients:
                await client.client.connect()

            mid_answer = asyncio.Event()

            def second_question_streaming(client: RoamingClient) -> None:
                if len(client.transcript) == 1 and client.api is api_a:
                    mid_answer.set()

            clients[0].on_token = second_question_streaming

            async def converse(index: int, client: RoamingClient) -> None:
                for q in range(QUESTIONS):
                    await client.ask(
                        f"What does topic{index} say about term{q}? (question {q})",
                        drop_after_first_token=index == 2 and q == 0,
                    )

            async def sigterm_a_mid_answer() -> dict[str, Any]:
                await mid_answer.wait()
                api_a.terminate()
                async with httpx.AsyncClient(base_url=api_a.url, timeout=5) as http:
                    while True:  # readiness fails at once, long before the process exits
                        ready = await http.get("/ready")
                        if ready.status_code == 503:
                            draining = _samples(
                                (await http.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})).text
                            )
                            return {"ready": ready.json(), "draining": _value(draining, "ragchat_draining")}

            async with asyncio.timeout(DEADLINE):
                drained, *_ = await asyncio.gather(
                    sigterm_a_mid_answer(), *(converse(i, c) for i, c in enumerate(clients))
                )
            assert await asyncio.to_thread(api_a.wait_exit, DEADLINE) is not None
            assert {"name": "serving", "ok": False, "detail": "Draining"} in drained["ready"]["checks"]
            assert drained["draining"] == 1

            # A's clients were told to move (1012), moved to B and resumed there.
            assert 1012 in clients[0].close_codes and clients[0].api is api_b
            assert all(code == 1012 for client in clients for code in client.close_codes)
            drain_log = [
                json.loads(line)
                for line in (topology.root / "api-0.log").read_text().splitlines()
                if '"drained"' in line
            ]
            assert drain_log and drain_log[0]["handed_back"] >= 1, "the SIGTERM did not cut a running answer"

            # Every question answered exactly once; every transcript equals the stored history.
            for client, user in zip(clients, users, strict=True):
                messages = (await on_b.get(f"/chats/{client.chat_id}", headers=bearer(user))).json()["messages"]
                questions = [m for m in messages if m["role"] == "user"]
                assert len(questions) == QUESTIONS and all(q["status"] == "complete" for q in questions)
                stored = []
                for question in questions:
                    answers = [
                        m
                        for m in messages
                        if m["role"] == "assistant" and m["reply_to"] == question["id"] and m["status"] == "complete"
                    ]
                    assert len(answers) == 1, f"question answered {len(answers)} times: {messages}"
                    stored.append((question["content"], answers[0]["content"]))
                assert client.transcript == stored
                assert all(answer == "".join(ANSWER) for _, answer in stored)
                assert client.client.duplicates == 0

            # The metrics say the same.
            on_b_metrics = await _metrics(f"{api_b.url}/metrics")
            worker_metrics = await _metrics(topology.worker_metrics_url(survivor))
            assert _value(on_b_metrics, "ragchat_websockets_open") == USERS  # everyone ended up on B
            assert _value(on_b_metrics, "ragchat_turns_in_flight") == 0
            assert _value(on_b_metrics, "ragchat_messages_unanswered") == 0
            assert _value(on_b_metrics, "ragchat_documents_waiting", status="pending") == 0
            assert _value(on_b_metrics, "ragchat_documents_waiting", status="indexing") == 0
            assert (
                _value(on_b_metrics, "ragchat_http_requests_total", method="POST", route="/documents", status="201")
                == 2 * DOCUMENTS_PER_USER
            )  # exactly the uploads sent to B
            answered_on_b = _value(on_b_metrics, "ragchat_turns_total", outcome="answered")
            answered_by_worker = _value(worker_metrics, "ragchat_turns_total", outcome="answered")
            assert answered_by_worker >= 1  # the handed-back answer
            assert answered_on_b + answered_by_worker <= USERS * QUESTIONS
            assert answered_on_b >= 2 * QUESTIONS  # at least B's own users' questions
            assert _value(worker_metrics, "ragchat_jobs_total", job="ProcessInbox", outcome="done") >= 1
            assert _value(worker_metrics, "ragchat_jobs_total", job="IndexDocument", outcome="done") >= 1
            assert _value(worker_metrics, "ragchat_turns_in_flight") == 0
            for client in clients:
                await client.client.close()
    finally:
        for http in https:
            await http.aclose()
