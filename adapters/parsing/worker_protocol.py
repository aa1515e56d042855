"""What the service and a parser process say to each other over the child's stdin/stdout: length-prefixed
msgpack frames. The child writes ``READY`` once its imports are done, then answers one request at a time."""

from __future__ import annotations

import struct
from typing import BinaryIO

import msgspec

from adapters.parsing.document_parsers import ParserLimits
from application.ports.document_parser import ParsedDocument

READY = b"R"
_LENGTH = struct.Struct(">Q")


class ParseRequest(msgspec.Struct, frozen=True, kw_only=True):
    data: bytes
    content_type: str
    limits: ParserLimits
    cpu_seconds: float
    """CPU the child may spend on this request (``RLIMIT_CPU``, counted from the request's start)."""


class ParseReply(msgspec.Struct, frozen=True, kw_only=True):
    """Exactly one of ``document`` and ``unreadable`` (the reason shown to the owner) is set. ``retire``: the
    child is exiting after this reply (it ran out of memory and may be in a poor state)."""

    document: ParsedDocument | None = None
    unreadable: str | None = None
    retire: bool = False


_encoder = msgspec.msgpack.Encoder()
_request_decoder = msgspec.msgpack.Decoder(ParseRequest)
_reply_decoder = msgspec.msgpack.Decoder(ParseReply)


def frame(message: ParseRequest | ParseReply) -> bytes:
    body = _encoder.encode(message)
    return _LENGTH.pack(len(body)) + body


def length_of(header: bytes) -> int:
    return int(_LENGTH.unpack(header)[0])


HEADER_SIZE = _LENGTH.size


def read_request(stream: BinaryIO) -> ParseRequest | None:
    """The next request, or ``None`` when the service closed the pipe (it stopped or died)."""
    header = stream.read(HEADER_SIZE)
    if len(header) < HEADER_SIZE:
        return None
    body = stream.read(length_of(header))
    return _request_decoder.decode(body)


def decode_reply(body: bytes) -> ParseReply:
    return _reply_decoder.decode(body)
