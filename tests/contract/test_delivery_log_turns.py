"""The delivery log keeps the answer being written, whatever clients acknowledge, so a late client can join it
from its first frame (the ``join_seq`` of ``docs/websocket.md``). Memory twin and Redis, same assertions."""

from __future__ import annotations

import uuid

from application.frames import AcceptedFrame, AnswerDoneFrame, AnswerStartedFrame, ErrorFrame
from application.ports.chat_model import Usage
from application.ports.delivery_log import ReplayStatus
from tests.contract import test_delivery_log as backends
from tests.contract.test_delivery_log import MESSAGE_ID, LogCase, token

case = backends.case  # the same memory and Redis backends as the rest of the contract

QUESTION_ID = uuid.uuid4()


def started() -> AnswerStartedFrame:
    return AnswerStartedFrame(message_id=MESSAGE_ID, reply_to=QUESTION_ID)


async def test_without_an_answer_in_flight_a_client_joins_at_the_last_seq(case: LogCase) -> None:
    log, chat = case.make(), uuid.uuid4()
    await log.append(chat, AcceptedFrame(client_msg_id="c", message_id=QUESTION_ID))
    snapshot = await log.snapshot(chat)
    assert (snapshot.turn_seq, snapshot.join_seq) == (0, 1)


async def test_acks_never_trim_the_answer_being_written(case: LogCase) -> None:
    log, chat = case.make(), uuid.uuid4()
    await log.append(chat, AcceptedFrame(client_msg_id="c", message_id=QUESTION_ID))
    start = await log.append(chat, started())
    for i in range(5):
        await log.append(chat, token(str(i)))

    snapshot = await log.ack(chat, 7)  # another client has everything

    assert (snapshot.acked_seq, snapshot.turn_seq, snapshot.join_seq) == (7, start.seq, 1)
    replay = await log.after(chat, snapshot.join_seq)
    assert replay.status is ReplayStatus.COMPLETE
    assert [frame.seq for frame in replay.frames] == list(range(2, 8))
    assert replay.frames[0] == start
    assert (await log.after(chat, 0)).status is ReplayStatus.GAP, "frames before the answer are trimmed"


async def test_the_end_of_the_answer_releases_it(case: LogCase) -> None:
    log, chat = case.make(), uuid.uuid4()
    await log.append(chat, started())
    await log.append(chat, token("a"))
    await log.ack(chat, 2)
    usage = Usage(prompt_tokens=1, completion_tokens=1)
    done = await log.append(chat, AnswerDoneFrame(message_id=MESSAGE_ID, reply_to=QUESTION_ID, usage=usage))

    snapshot = await log.snapshot(chat)
    assert (snapshot.turn_seq, snapshot.join_seq) == (0, done.seq)
    assert (await log.after(chat, 0)).status is ReplayStatus.GAP, "what was acked is trimmed once the answer ended"
    assert [frame.seq for frame in (await log.after(chat, 2)).frames] == [done.seq]


async def test_an_error_ends_the_answer_and_the_next_one_moves_the_join_point(case: LogCase) -> None:
    log, chat = case.make(), uuid.uuid4()
    await log.append(chat, started())
    await log.append(chat, ErrorFrame(code="model_unavailable", message="down", retryable=True, client_msg_id="c"))
    assert (await log.snapshot(chat)).turn_seq == 0
    second = await log.append(chat, AnswerStartedFrame(message_id=uuid.uuid4(), reply_to=QUESTION_ID))
    await log.append(chat, token("b"))
    snapshot = await log.ack(chat, 4)
    assert (snapshot.turn_seq, snapshot.join_seq) == (second.seq, second.seq - 1)
    replay = await log.after(chat, snapshot.join_seq)
    assert [frame.seq for frame in replay.frames] == [3, 4]
