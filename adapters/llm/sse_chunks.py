"""The chat stream's body read by us rather than by the SDK's typed stream: ``data:`` lines of server-sent events,
each decoded by a msgspec struct that holds only what the adapter uses (the delta's text, the finish reason,
the usage). The SDK built a pydantic object per chunk, which cost about eight times our decoding.

Read leniently, as servers differ: a usage chunk has no choices, a role chunk has no content, unknown fields
are ignored, and a chunk whose known fields have an unexpected shape carries only what can be read from it.
"""

from __future__ import annotations

from typing import Any

import msgspec

from application.ports.chat_model import Usage


class MalformedStream(ValueError):
    """An event's data is not JSON (``failures.classify`` calls this a malformed stream)."""


class StreamError(Exception):
    """The server reported an error inside the stream (``{"error": ...}``) instead of a chunk."""

    def __init__(self, message: str, body: object) -> None:
        super().__init__(message)
        self.message = message
        self.body = body


class _Delta(msgspec.Struct):
    content: str | None = None


class _Choice(msgspec.Struct):
    delta: _Delta | None = None
    finish_reason: str | None = None


class _Usage(msgspec.Struct):
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


class _Chunk(msgspec.Struct):
    choices: list[_Choice] | None = None
    usage: _Usage | None = None
    error: msgspec.Raw | None = None


class StreamChunk(msgspec.Struct, frozen=True):
    text: str = ""
    usage: Usage | None = None
    finish_reason: str | None = None


_decoder = msgspec.json.Decoder(_Chunk)
EMPTY = StreamChunk()


def decode_chunk(data: bytes) -> StreamChunk:
    """One event's data; raises ``MalformedStream`` for data that is not JSON, ``StreamError`` for an error."""
    try:
        chunk = _decoder.decode(data)
    except msgspec.ValidationError:
        return _lenient(data)
    except msgspec.DecodeError as exc:
        raise MalformedStream(f"undecodable stream event: {exc}") from None
    if chunk.error is not None and chunk.error != b"null":
        _raise_error(msgspec.json.decode(chunk.error))
    text, finish = "", None
    for choice in chunk.choices or ():
        if choice.delta is not None and choice.delta.content:
            text = choice.delta.content if not text else text + choice.delta.content
        finish = choice.finish_reason or finish
    usage = chunk.usage
    if usage is not None and usage.prompt_tokens is not None and usage.completion_tokens is not None:
        return StreamChunk(
            text, Usage(prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens), finish
        )
    return StreamChunk(text, None, finish) if text or finish else EMPTY


def _lenient(data: bytes) -> StreamChunk:
    """The slow path, for a chunk whose known fields have an unexpected shape (rare): read what can be read."""
    raw: Any = msgspec.json.decode(data)
    if not isinstance(raw, dict):
        return EMPTY
    if raw.get("error"):
        _raise_error(raw["error"])
    choices = raw.get("choices")
    text, finish = "", None
    for choice in choices if isinstance(choices, list) else ():
        delta = choice.get("delta") if isinstance(choice, dict) else None
        content = delta.get("content") if isinstance(delta, dict) else None
        text += content if isinstance(content, str) else ""
        reason = choice.get("finish_reason") if isinstance(choice, dict) else None
        finish = reason if isinstance(reason, str) else finish
    usage = raw.get("usage")
    prompt = usage.get("prompt_tokens") if isinstance(usage, dict) else None
    completion = usage.get("completion_tokens") if isinstance(usage, dict) else None
    if isinstance(prompt, int) and isinstance(completion, int):
        return StreamChunk(text, Usage(prompt_tokens=prompt, completion_tokens=completion), finish)
    return StreamChunk(text, None, finish)


def _raise_error(error: object) -> None:
    if error in (None, False, "", {}, []):
        return
    message = error.get("message") if isinstance(error, dict) else error
    raise StreamError(message if isinstance(message, str) and message else "an error occurred during streaming", error)


class SseDataReader:
    """Splits a server-sent-event byte stream, however it was cut into reads, into each event's data.

    Lines end with LF, CRLF or CR; ``data:`` lines of one event are joined with LF; comments (``:``) and other
    fields (``event:``, ``id:``, ``retry:``) are skipped. A CR at the end of a read is held back, since its LF
    may begin the next read."""

    def __init__(self) -> None:
        self._rest = b""
        self._data: list[bytes] = []

    def feed(self, chunk: bytes) -> list[bytes]:
        buffer = self._rest + chunk if self._rest else chunk
        lines = buffer.splitlines(keepends=True)
        self._rest = lines.pop() if lines and not lines[-1].endswith(b"\n") else b""
        events: list[bytes] = []
        for line in lines:
            self._line(line.rstrip(b"\r\n"), events)
        return events

    def close(self) -> list[bytes]:
        """What a body that ended without a final blank line still held."""
        events: list[bytes] = []
        if self._rest:
            self._line(self._rest.rstrip(b"\r\n"), events)
            self._rest = b""
        self._line(b"", events)
        return events

    def _line(self, line: bytes, events: list[bytes]) -> None:
        if not line:
            if self._data:
                events.append(self._data[0] if len(self._data) == 1 else b"\n".join(self._data))
                self._data = []
            return
        if line.startswith(b"data:"):
            value = line[5:]
            self._data.append(value[1:] if value.startswith(b" ") else value)
