"""The floor ``stream_cost`` compares ragchat with: a bare Litestar WebSocket app, served by uvicorn as
``ragchat serve`` is, that answers a ``message`` frame with the frames a ragchat turn sends (``accepted``,
``answer_started``, one ``token`` frame per token, ``answer_done``), encoded by the same msgspec structs, and
nothing else: no model, no storage, no delivery log.

    .venv/bin/python -m benchmarks.bare_socket_app --port 8765

It speaks just enough of the chat protocol for the benchmark's client: ``auth`` gets a ``snapshot``,
``resume`` is ignored, ``message`` whose text says ``tokens=N`` gets an answer of N tokens.
"""

from __future__ import annotations

import argparse
import re
import uuid
from datetime import UTC, datetime
from typing import Any

import msgspec
import uvicorn
from litestar import Litestar, WebSocket, get, websocket

from application.frames import AcceptedFrame, AnswerDoneFrame, AnswerStartedFrame, SnapshotFrame, TokenFrame
from application.ports.chat_model import Usage

TOKENS_ASKED = re.compile(r"tokens=(\d+)")
_encoder = msgspec.json.Encoder()


def tokens_asked(text: str, default: int = 5) -> int:
    """The answer length a benchmark question asks for (``tokens=N``)."""
    found = TOKENS_ASKED.search(text)
    return int(found.group(1)) if found else default


@get("/ready")
async def ready() -> dict[str, str]:
    return {"status": "ready"}


@websocket("/chat/ws")
async def chat_socket(socket: WebSocket[Any, Any, Any]) -> None:
    await socket.accept()
    seq = 0

    async def send(frame: Any) -> None:
        await socket.send_text(_encoder.encode(frame).decode())

    while True:
        event = await socket.receive()
        if event["type"] == "websocket.disconnect":
            return
        raw = event.get("text") or event.get("bytes") or b"{}"
        assert isinstance(raw, str | bytes)
        frame = msgspec.json.decode(raw)
        if frame.get("type") == "auth":
            await send(SnapshotFrame(epoch="bare", last_seq=seq, acked_seq=seq))
        elif frame.get("type") == "message":
            question, answer = uuid.uuid4(), uuid.uuid4()
            seq += 1
            await send(
                AcceptedFrame(
                    seq=seq,
                    client_msg_id=frame["client_msg_id"],
                    message_id=question,
                    text=frame["text"],
                    position=seq,
                    created_at=datetime.now(UTC),
                )
            )
            seq += 1
            await send(AnswerStartedFrame(seq=seq, message_id=answer, reply_to=question))
            count = tokens_asked(frame["text"])
            for index in range(count):
                seq += 1
                await send(TokenFrame(seq=seq, message_id=answer, text=f" t{index}"))
            seq += 1
            await send(
                AnswerDoneFrame(
                    seq=seq,
                    message_id=answer,
                    reply_to=question,
                    usage=Usage(prompt_tokens=20, completion_tokens=count),
                )
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    app = Litestar(route_handlers=[ready, chat_socket])
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_config=None, ws="websockets", lifespan="on")


if __name__ == "__main__":
    main()
