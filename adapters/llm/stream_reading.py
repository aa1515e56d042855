"""The SDK-facing half of the adapter: the request as the wire wants it, one attempt up to its first text,
and what a streamed chunk carries."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import openai
from openai.types.chat import ChatCompletionChunk, ChatCompletionMessageParam

from application.ports.chat_model import PromptMessage, Usage


@dataclass(slots=True)
class OpenedStream:
    """An attempt that got past its first text (or ended without any); ``stream`` still has to be closed."""

    stream: openai.AsyncStream[ChatCompletionChunk]
    first_text: str
    usage: Usage | None
    finished: bool


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
    client: openai.AsyncOpenAI,
    model: str,
    messages: list[dict[str, str]],
    max_tokens: int | None,
    first_token_deadline: float,
    *,
    temperature: float | None = None,
) -> OpenedStream:
    """Sends the request and reads until the first text, all before ``first_token_deadline`` (loop time);
    raises whatever went wrong (``TimeoutError`` for the deadline) with the HTTP stream already closed."""
    stream: openai.AsyncStream[ChatCompletionChunk] | None = None
    try:
        async with asyncio.timeout_at(first_token_deadline):
            stream = await client.chat.completions.create(
                model=model,
                messages=cast("list[ChatCompletionMessageParam]", messages),
                stream=True,
                stream_options={"include_usage": True},
                max_tokens=openai.omit if max_tokens is None else max_tokens,
                temperature=openai.omit if temperature is None else temperature,
            )
            usage: Usage | None = None
            while True:
                try:
                    chunk = await anext(stream)
                except StopAsyncIteration:
                    return OpenedStream(stream=stream, first_text="", usage=usage, finished=True)
                text, chunk_usage = read_chunk(chunk)
                usage = chunk_usage or usage
                if text:
                    return OpenedStream(stream=stream, first_text=text, usage=usage, finished=False)
    except BaseException:
        if stream is not None:
            await stream.close()
        raise


def read_chunk(chunk: ChatCompletionChunk) -> tuple[str, Usage | None]:
    """The text and usage a chunk carries. Read leniently: servers differ in which fields they send (a usage
    chunk has no choices; a role chunk has no content), and an unknown shape carries nothing."""
    text = "".join(
        getattr(getattr(choice, "delta", None), "content", None) or ""
        for choice in getattr(chunk, "choices", None) or ()
    )
    raw = getattr(chunk, "usage", None)
    prompt = getattr(raw, "prompt_tokens", None)
    completion = getattr(raw, "completion_tokens", None)
    if isinstance(prompt, int) and isinstance(completion, int):
        return text, Usage(prompt_tokens=prompt, completion_tokens=completion)
    return text, None
