"""Commands survive the trip through a job payload, as their own type, and nothing else decodes."""

from __future__ import annotations

import uuid

import pytest

from adapters.jobs.command_codec import (
    UndecodableJob,
    command_name,
    decode_command,
    deserialize_envelope,
    encode_command,
    serialize_envelope,
)
from application import commands as c
from domain.stages import Stage

COMMANDS: list[c.Command] = [
    c.IndexDocument(owner_id=uuid.uuid4(), document_id=uuid.uuid4()),
    c.ProcessInbox(owner_id=uuid.uuid4(), chat_id=uuid.uuid4()),
    c.RecordTokenUsage(owner_id=uuid.uuid4(), chat_id=uuid.uuid4(), message_id=uuid.uuid4(), prompt_tokens=12,
                       completion_tokens=3, estimated=True),
    c.SummarizeChat(owner_id=uuid.uuid4(), chat_id=uuid.uuid4()),
    c.SweepStuckWork(),
    c.CreateChat(owner_id=uuid.uuid4(), title="t", stage=Stage.TEST),
    c.UploadDocument(owner_id=uuid.uuid4(), filename="a.txt", content_type="text/plain", data=b"\x00\xff"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: type(command).__name__)
def test_every_command_decodes_to_itself(command: c.Command) -> None:
    decoded = decode_command(encode_command(command))
    assert type(decoded) is type(command)
    assert decoded == command
    assert command_name(encode_command(command)) == type(command).__name__


def test_garbage_and_unknown_tags_are_refused() -> None:
    with pytest.raises(UndecodableJob):
        decode_command(b"\xc1 not msgpack")
    with pytest.raises(UndecodableJob):
        decode_command(serialize_envelope({"type": "DropTables"}))
    with pytest.raises(UndecodableJob):  # a known tag with a missing field
        decode_command(serialize_envelope({"type": "IndexDocument", "owner_id": str(uuid.uuid4())}))
    assert command_name(b"junk") == "?"


def test_the_arq_envelope_keeps_bytes_and_turns_exceptions_into_text() -> None:
    payload = encode_command(COMMANDS[0])
    envelope = {"t": 1, "f": "dispatch", "a": (payload,), "k": {}, "et": 1, "r": RuntimeError("boom")}
    decoded = deserialize_envelope(serialize_envelope(envelope))
    assert decoded["a"] == [payload]
    assert decoded["r"] == "RuntimeError('boom')"
