"""A socket whose missed frames are gone is told to reload history and goes on from the join point, so even then
the answer being written arrives from its start (docs/websocket.md, "Joining a chat", step 5)."""

from __future__ import annotations

import json
import uuid

from adapters.inprocess.delivery_log import MemoryDeliveryLog
from adapters.inprocess.frame_bus import MemoryFrameBus
from application.frames import AcceptedFrame, AnswerStartedFrame, TokenFrame
from application.ports.delivery_log import Replay
from entrypoints.http.chat_socket.outbox import SocketOutbox


async def test_a_reload_snapshot_is_followed_by_the_answer_in_flight_from_its_start() -> None:
    log, chat, answer = MemoryDeliveryLog(), uuid.uuid4(), uuid.uuid4()
    question = uuid.uuid4()
    await log.append(chat, AcceptedFrame(client_msg_id="c", message_id=question, text="q", position=1))
    await log.append(chat, AnswerStartedFrame(message_id=answer, reply_to=question))
    await log.append(chat, TokenFrame(message_id=answer, text="From the start"))
    await log.ack(chat, 3)  # another client has everything: seq 1 is trimmed, the answer is kept
    sent: list[dict[str, object]] = []

    async def send_text(text: str) -> None:
        sent.append(json.loads(text))

    async def read_after(after_seq: int) -> Replay:
        return await log.after(chat, after_seq)

    outbox = SocketOutbox(chat, send_text, read_after, MemoryFrameBus())
    await outbox.resume(0, await log.after(chat, 0))  # this client had nothing: what it missed is partly gone

    assert [(f["type"], f.get("seq")) for f in sent] == [("snapshot", 0), ("answer_started", 2), ("token", 3)]
    assert sent[0]["reload_history"] is True and sent[0]["join_seq"] == 1
    assert outbox.cursor == 3
