"""Token coalescing on a manual timer: frames follow time, the first token goes out at once, and the delivered
text is exactly what the token frames in the log say."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

from adapters.inprocess.delivery_log import MemoryDeliveryLog
from adapters.inprocess.frame_bus import MemoryFrameBus
from application.chat.frame_emitter import FrameEmitter
from application.chat.token_stream import TokenStream
from application.errors import StorageUnavailable
from application.frames import CitationFrame, ServerFrame, TokenFrame
from application.ports.delivery_log import FrameT
from domain.messages import Citation
from tests.support.clock import ManualTimer

WINDOW = 0.03
DEADLINE = 10.0
CHAT, MESSAGE = uuid.uuid4(), uuid.uuid4()


class FailingLog(MemoryDeliveryLog):
    def __init__(self) -> None:
        super().__init__()
        self.failing = False
        self.refused = asyncio.Event()

    async def append(self, chat_id: uuid.UUID, frame: FrameT) -> FrameT:
        if self.failing:
            self.refused.set()
            raise StorageUnavailable("chat storage is temporarily unavailable")
        return await super().append(chat_id, frame)


class Harness:
    def __init__(self, window: float = WINDOW) -> None:
        self.log = FailingLog()
        self.bus = MemoryFrameBus()
        self.timer = ManualTimer()
        self.tokens = TokenStream(FrameEmitter(self.log, self.bus), CHAT, MESSAGE, timer=self.timer, window=window)

    async def logged(self) -> list[ServerFrame]:
        return list((await self.log.after(CHAT, 0)).frames)

    async def texts(self) -> list[str]:
        return [frame.text for frame in await self.logged() if isinstance(frame, TokenFrame)]


async def next_frame(frames: AsyncIterator[ServerFrame]) -> ServerFrame:
    return await asyncio.wait_for(anext(frames), DEADLINE)


async def test_the_first_token_goes_out_at_once_and_the_rest_when_its_window_ends() -> None:
    h = Harness()
    async with h.bus.subscribe(CHAT) as frames:
        await h.tokens.add("Hel")
        assert await h.texts() == ["Hel"]
        await h.tokens.add("lo")
        await h.tokens.add(" world")
        assert await h.texts() == ["Hel"]  # waiting: the window of the first frame is still open
        await next_frame(frames)
        h.timer.advance(WINDOW)  # the model pauses; the waiting text goes out when the window ends
        second = await next_frame(frames)
        assert isinstance(second, TokenFrame) and second.text == "lo world"
    assert h.tokens.delivered == "Hello world" == "".join(await h.texts())


async def test_a_fast_model_gets_one_frame_per_window() -> None:
    h = Harness()
    for i in range(100):  # a token every 2 ms: 200 ms of answer
        await h.tokens.add(f"{i} ")
        h.timer.advance(0.002)
    await h.tokens.finish()
    texts = await h.texts()
    assert 6 <= len(texts) <= 9  # ~200 ms / 30 ms, plus the first token on its own
    assert texts[0] == "0 "
    assert "".join(texts) == "".join(f"{i} " for i in range(100)) == h.tokens.delivered


async def test_a_token_after_a_quiet_window_goes_out_at_once() -> None:
    h = Harness()
    await h.tokens.add("a")
    h.timer.advance(1.0)
    await h.tokens.add("b")
    assert await h.texts() == ["a", "b"]


async def test_a_zero_window_sends_every_piece_as_its_own_frame() -> None:
    h = Harness(window=0)
    for piece in ("a", "b", "c"):
        await h.tokens.add(piece)
    assert await h.texts() == ["a", "b", "c"]


async def test_a_citation_follows_the_text_before_it() -> None:
    h = Harness()
    citation = Citation(n=1, chunk_id=uuid.uuid4(), document_id=uuid.uuid4(), filename="a.md", text="passage")
    await h.tokens.add("Cats sleep")
    await h.tokens.add(" a lot [1]")
    await h.tokens.send(CitationFrame(message_id=MESSAGE, citation=citation))
    await h.tokens.add(".")
    await h.tokens.finish()
    kinds = [(type(f).__name__, getattr(f, "text", None)) for f in await h.logged()]
    assert kinds == [
        ("TokenFrame", "Cats sleep"),
        ("TokenFrame", " a lot [1]"),
        ("CitationFrame", None),
        ("TokenFrame", "."),
    ]


async def test_finish_sends_what_waits_and_discard_drops_it() -> None:
    finished, stopped = Harness(), Harness()
    for h in (finished, stopped):
        await h.tokens.add("kept")
        await h.tokens.add(" waiting")
    await finished.tokens.finish()
    await stopped.tokens.discard()
    assert await finished.texts() == ["kept", " waiting"] and finished.tokens.delivered == "kept waiting"
    assert await stopped.texts() == ["kept"] and stopped.tokens.delivered == "kept"
    stopped.timer.advance(1.0)  # nothing is left to go out later
    assert stopped.timer.sleeping == 0
    assert await stopped.texts() == ["kept"]


async def test_a_failed_background_send_fails_the_next_add_and_is_not_delivered() -> None:
    h = Harness()
    await h.tokens.add("sent")
    await h.tokens.add(" lost")
    h.log.failing = True
    h.timer.advance(WINDOW)
    await asyncio.wait_for(h.log.refused.wait(), DEADLINE)  # the background send ran and failed
    with pytest.raises(StorageUnavailable):
        await h.tokens.add(" more")
    await h.tokens.settle()  # the failed turn stores what was delivered
    assert h.tokens.delivered == "sent"
    h.log.failing = False
    assert await h.texts() == ["sent"]
