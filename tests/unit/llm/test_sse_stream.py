"""The chat stream's body as the adapter reads it: server-sent events however the network cut them, the few
fields of a chunk it uses, the end marker, errors inside the stream and transport failures."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import openai
import pytest

from adapters.llm.sse_chunks import MalformedStream, SseDataReader, StreamChunk, decode_chunk
from adapters.llm.stream_reading import read_chunks
from application.ports.chat_model import Usage

REQUEST = httpx2.Request("POST", "http://model.test/v1/chat/completions")


def event(payload: dict[str, Any], ending: str = "\n") -> bytes:
    return f"data: {json.dumps(payload)}{ending}{ending}".encode()


def token(text: str, finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "c",
        "object": "chat.completion.chunk",
        "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": finish}],
    }


async def body(*reads: bytes, then: BaseException | None = None) -> AsyncIterator[bytes]:
    for read in reads:
        yield read
    if then is not None:
        raise then


async def collect(*reads: bytes, then: BaseException | None = None) -> list[StreamChunk]:
    return [chunk async for chunk in read_chunks(body(*reads, then=then), REQUEST)]


STREAM = (
    b": keep-alive comment\r\n\r\n"
    + event({"choices": [{"index": 0, "delta": {"role": "assistant"}}]}, "\r\n")
    + event(token("Hello"), "\r\n")
    + b"event: message\nid: 7\ndata: "
    + json.dumps(token(" wor")).encode()
    + b"\n\n"
    + event(token("ld", finish="stop"))
    + event({"choices": [], "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}})
    + b"data: [DONE]\n\n"
)


async def test_events_cut_at_any_byte_read_the_same() -> None:
    whole = await collect(STREAM)
    assert "".join(c.text for c in whole) == "Hello world"
    for cut in range(1, len(STREAM)):
        assert await collect(STREAM[:cut], STREAM[cut:]) == whole, cut
    assert await collect(*(STREAM[i : i + 1] for i in range(len(STREAM)))) == whole


def test_a_crlf_split_between_reads_ends_one_line_not_two() -> None:
    reader = SseDataReader()
    assert reader.feed(b"data: a\r") == []
    assert reader.feed(b"\ndata: b\r") == []
    assert reader.feed(b"\n\r\n") == [b"a\nb"]  # one event with two data lines


async def test_nothing_after_done_is_read_as_a_chunk() -> None:
    chunks = await collect(event(token("only")), b"data: [DONE]\n\n", event(token("after the end")), b"data: {bad")

    assert [c.text for c in chunks] == ["only"]


async def test_a_body_that_ends_without_done_or_a_final_blank_line_keeps_its_last_event() -> None:
    chunks = await collect(event(token("a")), b"data: " + json.dumps(token("b")).encode())

    assert [c.text for c in chunks] == ["a", "b"]


def test_a_usage_only_final_chunk_carries_the_usage_and_no_text() -> None:
    chunk = decode_chunk(
        json.dumps(
            {"id": "c", "choices": [], "usage": {"prompt_tokens": 40, "completion_tokens": 7, "total_tokens": 47}}
        ).encode()
    )

    assert chunk == StreamChunk(text="", usage=Usage(prompt_tokens=40, completion_tokens=7))


@pytest.mark.parametrize(
    "choices",
    [[], None, [{"index": 0, "delta": {}}], [{"index": 0, "delta": None}]],
    ids=["empty", "null", "empty-delta", "null-delta"],
)
def test_empty_choices_carry_nothing(choices: Any) -> None:
    assert decode_chunk(json.dumps({"id": "c", "choices": choices, "usage": None}).encode()) == StreamChunk()


def test_the_finish_reason_is_read() -> None:
    assert decode_chunk(json.dumps(token("", finish="length")).encode()).finish_reason == "length"


def test_fields_of_an_unexpected_shape_carry_only_what_can_be_read() -> None:
    odd = {
        "choices": [{"delta": {"content": ["not", "text"]}}, {"delta": {"content": "text"}, "finish_reason": 3}],
        "usage": {"prompt_tokens": "many", "completion_tokens": 2},
    }

    assert decode_chunk(json.dumps(odd).encode()) == StreamChunk(text="text")
    assert decode_chunk(b"[1, 2]") == StreamChunk()


def test_data_that_is_not_json_is_a_malformed_stream() -> None:
    with pytest.raises(MalformedStream):
        decode_chunk(b"{this is not json")
    assert issubclass(MalformedStream, ValueError)  # what failures.classify calls a malformed stream


async def test_an_error_event_mid_stream_raises_the_sdks_api_error_after_the_tokens_before_it() -> None:
    chunks: list[str] = []
    error_event = event({"error": {"message": "the model is overloaded", "type": "server_error"}})
    with pytest.raises(openai.APIError) as raised:
        async for chunk in read_chunks(body(event(token("Cats")), error_event, event(token("never"))), REQUEST):
            chunks.append(chunk.text)

    assert chunks == ["Cats"]
    assert raised.value.message == "the model is overloaded"
    assert not isinstance(raised.value, openai.APIStatusError | openai.APIConnectionError)


async def test_a_null_error_field_is_no_error() -> None:
    assert [c.text for c in await collect(event({**token("fine"), "error": None}))] == ["fine"]


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (httpx2.ReadTimeout("slow"), openai.APITimeoutError),
        (httpx2.RemoteProtocolError("incomplete chunked read"), openai.APIConnectionError),
        (httpx2.ReadError("reset"), openai.APIConnectionError),
    ],
    ids=["read-timeout", "cut", "reset"],
)
async def test_transport_failures_become_the_sdks_errors(failure: Exception, expected: type[Exception]) -> None:
    seen: list[str] = []
    with pytest.raises(expected):
        async for chunk in read_chunks(body(event(token("partial")), then=failure), REQUEST):
            seen.append(chunk.text)
    assert seen == ["partial"]


async def test_events_that_arrived_in_one_read_leave_room_for_other_tasks_between_them() -> None:
    """A fast model fills one read with many tokens: the first must reach the socket before the rest are
    decoded, so other tasks (the socket's sender) run between the chunks of one read once a slice is used."""
    order: list[str] = []

    async def sender() -> None:
        order.append("sender")

    one_read = event(token("a")) + event(token("b")) + event(token("c"))
    chunks = read_chunks(body(one_read), REQUEST, slice_seconds=0)
    order.append((await anext(chunks)).text)
    task = asyncio.create_task(sender())
    order.append((await anext(chunks)).text)
    order.append((await anext(chunks)).text)
    await task

    assert order == ["a", "sender", "b", "c"]


async def test_within_a_slice_the_events_of_one_read_follow_each_other() -> None:
    order: list[str] = []

    async def sender() -> None:
        order.append("sender")

    one_read = event(token("a")) + event(token("b")) + event(token("c"))
    chunks = read_chunks(body(one_read), REQUEST, slice_seconds=3600)
    order.append((await anext(chunks)).text)
    task = asyncio.create_task(sender())
    order.append((await anext(chunks)).text)
    order.append((await anext(chunks)).text)
    await task

    assert order == ["a", "b", "c", "sender"]


async def test_a_read_after_the_deadline_stops_a_server_that_trickles_keep_alives() -> None:
    async def keep_alives() -> AsyncIterator[bytes]:
        while True:
            yield b": still here\n\n"

    past = asyncio.get_running_loop().time() - 1

    with pytest.raises(TimeoutError):
        await anext(read_chunks(keep_alives(), REQUEST, deadline=past))
