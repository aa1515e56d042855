"""A real HTTP server speaking OpenAI's streaming ``/v1/chat/completions``, scripted per request by the test.

Plain asyncio streams rather than a web framework, because the faults it injects live below a framework's
reach: a stall before the first token, a connection cut in the middle of a chunked body, a malformed SSE
event. Each request takes the next scripted behaviour (``script(...)``); when none is left it answers
normally. Bodies are chunked, so a cut is distinguishable from a normal end.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from tests.support.http_request import LoopbackServer, read_request

DEFAULT_TOKENS = ["Hello", " from", " the", " scripted", " server."]


@dataclass(frozen=True)
class Reply:
    tokens: list[str] = field(default_factory=lambda: list(DEFAULT_TOKENS))
    usage: tuple[int, int] | None = None
    """(prompt, completion) sent as a final usage chunk when the client asked for it; None: no usage."""
    token_delay: float = 0.0
    pause_after: int | None = None
    """After this many tokens, wait for ``resume`` to be set: a turn caught mid-answer, deterministically."""
    resume: asyncio.Event | None = None


@dataclass(frozen=True)
class Fail:
    status: int = 500
    retry_after: str | None = None
    message: str = "scripted failure"
    code: str | None = None
    """The error body's ``code`` (OpenAI's ``model_not_found``, say)."""


@dataclass(frozen=True)
class Stall:
    """Sends the headers and a role chunk, then nothing until ``seconds`` pass or the client leaves."""

    seconds: float = 30.0


@dataclass(frozen=True)
class Cut:
    """Streams ``tokens`` and then drops the connection without ending the chunked body."""

    tokens: list[str]


@dataclass(frozen=True)
class Malformed:
    tokens: list[str] = field(default_factory=list)
    raw: bytes = b"data: {this is not json\n\n"


Behaviour = Reply | Fail | Stall | Cut | Malformed


TITLE_MARK = "Write a title for a conversation"
"""Begins the instructions of ``application/titles/model_titler.py``: how a chat-title request is told apart."""


class ScriptedLLMServer(LoopbackServer):
    """Answers chat-title requests (the background job naming a new chat) with ``title_reply`` and keeps them in
    ``title_requests``, apart from the script and ``requests``: a test scripts answers, whatever titles run."""

    def __init__(
        self, title_reply: str = "Scripted chat title", port: int = 0, models: list[str] | None = None,
        keep_alive: bool = False,
    ) -> None:
        super().__init__(port)
        self.keep_alive = keep_alive
        """Whether a connection stays open for the next request after a whole response, as real model servers
        do (benchmarks); by default each response closes it, so a test sees every request on a new connection."""
        self.title_reply = title_reply
        self.models = models
        """What ``GET /v1/models`` lists; None: the endpoint answers 404, as on servers without one."""
        self.model_list_requests = 0
        self.title_requests: list[dict[str, Any]] = []
        self._script: deque[Behaviour] = deque()
        self.requests: list[dict[str, Any]] = []
        self.client_gone = asyncio.Event()
        """Set when a client disconnected while a response was still streaming."""
        self._arrived = asyncio.Condition()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, *behaviours: Behaviour) -> None:
        self._script.extend(behaviours)

    def reset(self) -> ScriptedLLMServer:
        """Forgets the script and every request seen: the next test of a module sharing this server starts
        from nothing, as with a server of its own."""
        self._script.clear()
        self.requests.clear()
        self.title_requests.clear()
        self.model_list_requests = 0
        self.client_gone.clear()
        return self

    async def wait_for_requests(self, count: int) -> None:
        """Returns once ``count`` requests have arrived (wrap in ``asyncio.timeout`` to bound the wait)."""
        async with self._arrived:
            await self._arrived.wait_for(lambda: len(self.requests) >= count)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        first = True
        try:
            while await self._answer(reader, writer) and self.keep_alive:
                first = False
        except asyncio.IncompleteReadError as exc:
            if first or exc.partial:  # else the client closed a kept-alive connection between requests
                self.client_gone.set()
        except ConnectionError:
            self.client_gone.set()
        finally:
            writer.close()

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Whether the response was whole (a connection may then carry the next request)."""
        request_line, raw = await read_request(reader)
        if " /v1/models " in request_line + " ":
            await self._list_models(writer)
            return True
        if " /v1/chat/completions " not in request_line + " ":
            return False
        body: dict[str, Any] = json.loads(raw or b"{}")
        if TITLE_MARK in json.dumps(body.get("messages", [])):
            self.title_requests.append(body)
            return await self._respond(Reply(tokens=[self.title_reply]), body, reader, writer)
        async with self._arrived:
            self.requests.append(body)
            self._arrived.notify_all()
        behaviour = self._script.popleft() if self._script else Reply()
        return await self._respond(behaviour, body, reader, writer)

    async def _respond(
        self,
        behaviour: Behaviour,
        body: dict[str, Any],
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> bool:
        model = str(body.get("model", "scripted"))
        if isinstance(behaviour, Fail):
            error = {"message": behaviour.message, "type": "server_error", "code": behaviour.code}
            payload = json.dumps({"error": error}).encode()
            extra = {"Retry-After": behaviour.retry_after} if behaviour.retry_after is not None else {}
            head = _head(behaviour.status, "application/json", len(payload), extra, keep=self.keep_alive)
            writer.write(head + payload)
            await writer.drain()
            return True
        writer.write(_head(200, "text/event-stream", None, {}, keep=self.keep_alive))
        await self._send(writer, _event(_chunk(model, {"role": "assistant"})))
        tokens = behaviour.tokens if not isinstance(behaviour, Stall) else []
        for index, token in enumerate(tokens):
            if isinstance(behaviour, Reply) and behaviour.resume is not None and index == behaviour.pause_after:
                await behaviour.resume.wait()
            if reader.at_eof():
                self.client_gone.set()
                return False
            await self._send(writer, _event(_chunk(model, {"content": token})))
            if isinstance(behaviour, Reply) and behaviour.token_delay:
                await asyncio.sleep(behaviour.token_delay)
        if isinstance(behaviour, Stall):
            for _ in range(max(1, int(behaviour.seconds / 0.02))):
                if reader.at_eof():
                    self.client_gone.set()
                    return False
                await asyncio.sleep(0.02)
            return False
        if isinstance(behaviour, Cut):
            return False  # the ``finally`` closes the socket with the chunked body unfinished
        if isinstance(behaviour, Malformed):
            await self._send(writer, behaviour.raw)
        await self._send(writer, _event(_chunk(model, {}, finish="stop")))
        if isinstance(behaviour, Reply) and behaviour.usage and body.get("stream_options", {}).get("include_usage"):
            prompt, completion = behaviour.usage
            usage = {
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "total_tokens": prompt + completion,
            }
            await self._send(writer, _event({**_chunk(model, None), "choices": [], "usage": usage}))
        await self._send(writer, b"data: [DONE]\n\n")
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        return True

    async def _list_models(self, writer: asyncio.StreamWriter) -> None:
        self.model_list_requests += 1
        if self.models is None:
            payload = json.dumps({"error": {"message": "not found", "type": "not_found"}}).encode()
            writer.write(_head(404, "application/json", len(payload), {}, keep=self.keep_alive) + payload)
        else:
            data = [{"id": name, "object": "model", "created": 0, "owned_by": "scripted"} for name in self.models]
            payload = json.dumps({"object": "list", "data": data}).encode()
            writer.write(_head(200, "application/json", len(payload), {}, keep=self.keep_alive) + payload)
        await writer.drain()

    @staticmethod
    async def _send(writer: asyncio.StreamWriter, data: bytes) -> None:
        writer.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        await writer.drain()


def _head(status: int, content_type: str, length: int | None, extra: dict[str, str], *, keep: bool) -> bytes:
    headers = {"Content-Type": content_type, "Connection": "keep-alive" if keep else "close", **extra}
    if length is None:
        headers["Transfer-Encoding"] = "chunked"
    else:
        headers["Content-Length"] = str(length)
    lines = [f"HTTP/1.1 {status} Scripted", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _chunk(model: str, delta: dict[str, str] | None, finish: str | None = None) -> dict[str, Any]:
    choices = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}]
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": choices,
    }


def _event(data: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(data)}\n\n".encode()
