"""The wire-facing half of the adapter: the request as the wire wants it, one attempt up to its first text,
and the stream's body read as server-sent events (``sse_chunks``) instead of through the SDK's typed stream.

``CompletionEndpoint`` sends the request (base URL, auth, timeouts, status errors) and hands back the HTTP
response unread; failures while reading the body are translated here into the SDK's own exceptions, so
``failures.classify`` sees the same errors whichever part of the call failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
import anyio
import httpx2
import openai

from adapters.llm.completion_endpoint import CONNECTION_FAILURES, CompletionEndpoint
from adapters.llm.sse_chunks import SseDataReader, StreamChunk, StreamError, decode_chunk
from application.ports.chat_model import PromptMessage, Usage

_TIMEOUTS = (httpx2.TimeoutException, aiohttp.ServerTimeoutError)
_CONNECTION_ERRORS = (httpx2.RequestError, ssl.SSLError, anyio.EndOfStream, *CONNECTION_FAILURES)
"""What the SDK itself reports as ``APIConnectionError`` while reading a stream (``_TIMEOUTS`` are checked
first: aiohttp's are connection errors too)."""
DRAIN_SECONDS = 0.1
SLICE_SECONDS = 0.002
"""The longest stretch of decoding (and of the turn's work on what was decoded) between passes of the loop."""


@dataclass(slots=True)
class OpenedStream:
    """An attempt that got past its first text (or ended without any); ``close`` must still be awaited."""

    chunks: AsyncGenerator[StreamChunk, None]
    first_text: str
    usage: Usage | None
    finished: bool
    exit_stack: contextlib.AsyncExitStack

    async def close(self) -> None:
        await self.exit_stack.aclose()


def wire_messages(messages: Sequence[PromptMessage], *, merge_system: bool) -> list[dict[str, str]]:
    """With ``merge_system`` the system prompt is folded into the first user turn, as Gemma's own chat
    template does; llama-cpp-python's ``gemma`` format silently drops ``system`` messages otherwise."""
    wire = [{"role": m.role, "content": m.content} for m in messages]
    if not merge_system:
        return wire
    system = "\n\n".join(m["content"] for m in wire if m["role"] == "system")
    rest = [m for m in wire if m["role"] != "system"]
    if system:
        first_user = next((m for m in rest if m["role"] == "user"), None)
        if first_user is None:
            rest.insert(0, {"role": "user", "content": system})
        else:
            first_user["content"] = f"{system}\n\n{first_user['content']}"
    return rest


async def open_stream(
    endpoint: CompletionEndpoint,
    model: str,
    messages: list[dict[str, str]],
    max_tokens: int | None,
    first_token_deadline: float,
    deadline: float,
    *,
    temperature: float | None = None,
) -> OpenedStream:
    """Sends the request and reads until the first text, all before ``first_token_deadline`` (loop time);
    raises whatever went wrong (``TimeoutError`` for the deadline) with the HTTP stream already closed.
    ``deadline`` (the whole call's) goes on bounding the chunks read afterwards (``read_chunks``).

    The messages are plain ``{"role", "content"}`` strings, already what the wire wants: they are encoded as
    they are, with no walk over the SDK's message types."""
    body: dict[str, Any] = {
        "model": model,
        "messages": messages,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    if max_tokens is not None:
        body["max_tokens"] = max_tokens
    if temperature is not None:
        body["temperature"] = temperature
    stack = contextlib.AsyncExitStack()
    try:
        async with asyncio.timeout_at(first_token_deadline):
            response = await endpoint.open(body)
            stack.callback(response.release)  # back to the pool when the body was read to its end, else closed
            chunks = read_chunks(response.content.iter_any(), endpoint.request, deadline)
            stack.push_async_callback(chunks.aclose)
            usage: Usage | None = None
            while True:
                try:
                    chunk = await anext(chunks)
                except StopAsyncIteration:
                    return OpenedStream(chunks, "", usage, finished=True, exit_stack=stack)
                usage = chunk.usage or usage
                if chunk.text:
                    return OpenedStream(chunks, chunk.text, usage, finished=False, exit_stack=stack)
    except BaseException:
        await stack.aclose()
        raise


async def read_chunks(
    body: AsyncIterable[bytes],
    request: Any,
    deadline: float | None = None,
    *,
    slice_seconds: float = SLICE_SECONDS,
) -> AsyncGenerator[StreamChunk, None]:
    """The stream's chunks until ``[DONE]`` or the end of the body. Transport failures become the SDK's
    ``APITimeoutError``/``APIConnectionError``, an error event its ``APIError``; a read that returns after
    ``deadline`` (loop time) raises ``TimeoutError``, so a server trickling keep-alive comments cannot hold
    the call past it (a silent one is stopped by the client's read timeout).

    Events that arrived together (a fast model fills one read with hundreds) are handed out with a pass of the
    event loop every ``slice_seconds`` of that work, so the tokens already read reach the sockets (and other
    turns run) while the rest are decoded, instead of the whole read being turned into frames first."""
    reader = SseDataReader()
    data = aiter(body)
    loop = asyncio.get_running_loop()
    try:
        ended = False
        while not ended:
            try:
                events = reader.feed(await anext(data))
            except StopAsyncIteration:
                events, ended = reader.close(), True
            passed = loop.time()
            if deadline is not None and passed >= deadline:
                raise TimeoutError("the model call's deadline passed")
            for index, event in enumerate(events):
                if event.startswith(b"[DONE]"):
                    await _drain(data)
                    return
                if index and loop.time() - passed >= slice_seconds:
                    await asyncio.sleep(0)
                    passed = loop.time()
                yield decode_chunk(event)
    except StreamError as exc:
        raise openai.APIError(exc.message, request=request, body=exc.body) from None
    except _TIMEOUTS as exc:
        raise openai.APITimeoutError(request=request) from exc
    except _CONNECTION_ERRORS as exc:
        raise openai.APIConnectionError(request=request) from exc


async def _drain(data: AsyncIterator[bytes]) -> None:
    """What follows ``[DONE]`` (the chunked body's end): HTTP/1.1 reuses the connection only once the body is
    read. Bounded and quiet, like the SDK's own drain: the answer is complete whatever happens here."""
    with contextlib.suppress(Exception):
        async with asyncio.timeout(DRAIN_SECONDS):
            async for _rest in data:
                pass
