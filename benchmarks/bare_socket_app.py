"""The floor ``stream_cost`` compares ragchat with: a bare Litestar WebSocket app, served by uvicorn as
``ragchat serve`` is, that answers a ``message`` frame with the frames a ragchat turn sends (``accepted``,
``answer_started``, one ``token`` frame per token, ``answer_done``), encoded by the same msgspec structs, and
nothing else: no model, no storage, no delivery log.

    .venv/bin/python -m benchmarks.bare_socket_app --port 8765 [--model-url URL]

With ``--model-url`` it is the floor ``concurrent_turns --bare`` compares with instead: each question is sent to
that OpenAI-compatible model with the ``openai`` SDK's own streaming call, the way a minimal Python chat app relays
a model, and each chunk's text goes out as one ``token`` frame; still no storage, retrieval or delivery log.
``GET /documents`` answers an empty list at once, so the benchmark's probe measures how long the event loop keeps a
plain request waiting.

It speaks just enough of the chat protocol for the benchmark's client: ``auth`` gets a ``snapshot``,
``resume`` is ignored, ``message`` whose text says ``tokens=N`` gets an answer of N tokens.
"""

from __future__ import annotations

import argparse
import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import msgspec
import openai
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


@get("/documents")
async def documents() -> list[str]:
    return []


_model: openai.AsyncOpenAI | None = None
"""The relayed model (``--model-url``); without it answers are made up here."""


async def relayed(text: str) -> AsyncIterator[str]:
    assert _model is not None
    stream = await _model.chat.completions.create(
        model="bench", messages=[{"role": "user", "content": text}], stream=True
    )
    async for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            yield chunk.choices[0].delta.content


async def made_up(text: str) -> AsyncIterator[str]:
    for index in range(tokens_asked(text)):
        yield f" t{index}"


@websocket("/chat/ws")
async def chat_socket(socket: WebSocket[Any, Any, Any]) -> None:
    await socket.accept()
    seq = 0
    answer_of = relayed if _model is not None else made_up

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
            count = 0
            async for text in answer_of(frame["text"]):
                seq += 1
                count += 1
                await send(TokenFrame(seq=seq, message_id=answer, text=text))
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
    parser.add_argument("--model-url", help="relay this OpenAI-compatible model's answers")
    args = parser.parse_args()
    global _model
    if args.model_url:
        _model = openai.AsyncOpenAI(base_url=args.model_url, api_key="bench", max_retries=0)
    app = Litestar(route_handlers=[ready, documents, chat_socket])
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_config=None, ws="websockets-sansio", lifespan="on",
                ws_per_message_deflate=False)  # as ``ragchat serve`` configures its sockets


if __name__ == "__main__":
    main()
