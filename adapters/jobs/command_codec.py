"""Commands as job payloads: msgspec MessagePack, decoded back through the tagged union of every command.

``Command`` is a tagged struct (the tag is the class name), so one decoder turns any payload back into the
right command type, with validation, and no pickle crosses the queue. arq's own envelope (function name,
args, tries) uses the same MessagePack encoder on the producer and the worker.
"""

from __future__ import annotations

import functools
from typing import Any, Union

import msgspec

from application.commands import AnyCommand, Command

_ENCODER = msgspec.msgpack.Encoder()


class UndecodableJob(ValueError):
    """A payload that is not a known command (corrupt, or written by a newer version)."""


def _all_commands() -> tuple[type[AnyCommand], ...]:
    found: list[type[AnyCommand]] = []
    pending = list(Command.__subclasses__())
    while pending:
        kind = pending.pop()
        found.append(kind)
        pending.extend(kind.__subclasses__())
    return tuple(sorted(found, key=lambda kind: kind.__name__))


@functools.cache
def _decoder(_generation: int) -> msgspec.msgpack.Decoder[Any]:
    return msgspec.msgpack.Decoder(Union[_all_commands()])  # noqa: UP007


def encode_command(command: AnyCommand) -> bytes:
    return _ENCODER.encode(command)


def decode_command(payload: bytes) -> AnyCommand:
    """Raises ``UndecodableJob``."""
    try:
        command: AnyCommand = _decoder(len(_all_commands())).decode(payload)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise UndecodableJob(str(exc)) from exc
    return command


def command_name(payload: bytes) -> str:
    """The command's type name, for listings; ``?`` when the payload cannot be decoded."""
    try:
        return type(decode_command(payload)).__name__
    except UndecodableJob:
        return "?"


def _encode_unknown(value: object) -> object:
    """arq stores a failed job's exception in its result; we keep only its text."""
    if isinstance(value, BaseException):
        return repr(value)
    raise NotImplementedError(f"cannot serialize {type(value).__name__}")


_ENVELOPE_ENCODER = msgspec.msgpack.Encoder(enc_hook=_encode_unknown)
_ENVELOPE_DECODER = msgspec.msgpack.Decoder()


def serialize_envelope(value: dict[str, Any]) -> bytes:
    """arq's ``job_serializer``."""
    return _ENVELOPE_ENCODER.encode(value)


def deserialize_envelope(data: bytes) -> dict[str, Any]:
    """arq's ``job_deserializer``."""
    value: dict[str, Any] = _ENVELOPE_DECODER.decode(data)
    return value
