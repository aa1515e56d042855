"""The scripted model server's two connection behaviours: closing after each response (what the adapter tests
rely on: every request on a new connection) and keeping connections alive (the benchmarks, like a real model
server, so a benchmark does not charge ragchat a TCP connect per answer)."""

from __future__ import annotations

import asyncio
import json

from tests.support.scripted_llm_server import Reply, ScriptedLLMServer

REQUEST = json.dumps({"model": "m", "stream": True, "messages": [{"role": "user", "content": "hi"}]}).encode()


async def _ask(writer: asyncio.StreamWriter) -> None:
    head = f"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: {len(REQUEST)}\r\n\r\n"
    writer.write(head.encode() + REQUEST)
    await writer.drain()


async def _response(reader: asyncio.StreamReader) -> bytes:
    """One whole chunked response: up to its last (empty) chunk."""
    return await reader.readuntil(b"\r\n0\r\n\r\n")


async def test_a_kept_alive_connection_carries_one_answer_after_another() -> None:
    async with ScriptedLLMServer(keep_alive=True) as model:
        model.script(Reply(tokens=["one"]), Reply(tokens=["two"]))
        reader, writer = await asyncio.open_connection("127.0.0.1", model.port)
        try:
            async with asyncio.timeout(30):
                await _ask(writer)
                first = await _response(reader)
                await _ask(writer)
                second = await _response(reader)
        finally:
            writer.close()
        assert b"Connection: keep-alive" in first
        assert b'"content": "one"' in first and b'"content": "two"' in second
        assert len(model.requests) == 2
        assert not model.client_gone.is_set()  # closing between requests is no disconnect mid-answer


async def test_by_default_the_connection_closes_after_the_answer() -> None:
    async with ScriptedLLMServer() as model:
        reader, writer = await asyncio.open_connection("127.0.0.1", model.port)
        try:
            async with asyncio.timeout(30):
                await _ask(writer)
                answer = await _response(reader)
                rest = await reader.read()  # returns b"" once the server has closed its side
        finally:
            writer.close()
        assert b"Connection: close" in answer
        assert rest == b""
