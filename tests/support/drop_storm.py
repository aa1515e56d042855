"""The drop storm: many turns, each with the socket killed at a point mid-stream, then resumed.

Shared by the end-to-end test (every cut point once: 41 turns) and ``benchmarks/ws_drop_storm.py`` (1,000 turns
cut at random points), so both measure the same thing: the concatenated tokens of every answer must equal the
stored answer, and no seq may be missing (``ChatClient`` asserts seq == last + 1) or delivered twice.
"""

from __future__ import annotations

import random
import time

import httpx
import msgspec

from tests.support.api import bearer
from tests.support.chat_client import ChatClient


class StormReport(msgspec.Struct):
    turns: int
    drops: int
    frames: int
    lost: int
    """Answers whose streamed text differs from the stored answer, plus seq gaps seen."""
    duplicated: int
    """Frames received twice (a seq at or below the last one seen)."""
    seconds: float


def _abort(client: ChatClient) -> None:
    """Kills the TCP connection without a closing handshake, as a dropped network does."""
    assert client.socket is not None
    client.socket.transport.abort()
    client.socket = None


LAST_CUT_POINT = 40
"""A turn's socket is killed after 0 to 40 received frames (a turn has more: every delta is its own frame)."""


async def drop_storm(
    ws_url: str,
    http: httpx.AsyncClient,
    user: dict[str, str],
    chat_id: str,
    turns: int,
    seed: int | None = 7,
) -> StormReport:
    """Cut points are drawn at random from ``seed``; with ``seed=None`` turn n is cut after n % 41 frames, so 41
    turns cut once at every point."""
    rng = random.Random(seed)
    client = ChatClient(ws_url, chat_id, user["access_token"])
    await client.connect()
    drops, answers, started = 0, [], time.perf_counter()
    for turn in range(turns):
        await client.send_message(f"turn {turn}: what do the documents say about vectors?")
        kill_after = rng.randint(0, LAST_CUT_POINT) if seed is not None else turn % (LAST_CUT_POINT + 1)
        seen = 0
        while True:
            if seen == kill_after:
                _abort(client)
                drops += 1
                await client.connect()
            frame = await client.receive()
            seen += 1
            if frame["type"] == "answer_done":
                answers.append(frame["message_id"])
                break
            assert frame["type"] != "error", frame
        if turn % 20 == 19:  # acknowledge now and then, as the UI does, so the log is trimmed
            await client.send({"type": "ack", "seq": client.last_seq})
    await client.close()
    seconds = time.perf_counter() - started

    stored: dict[str, str] = {}
    before = None
    while True:
        params = {"limit": 200, **({"before": before} if before else {})}
        page = (await http.get(f"/chats/{chat_id}", headers=bearer(user), params=params)).json()
        stored.update({m["id"]: m["content"] for m in page["messages"] if m["role"] == "assistant"})
        if page["next_before"] is None:
            break
        before = page["next_before"]
    lost = sum(1 for message_id in answers if client.answer_text(message_id) != stored.get(message_id))
    return StormReport(turns=turns, drops=drops, frames=len(client.frames), lost=lost,
                       duplicated=client.duplicates, seconds=round(seconds, 2))
