"""The token window grows with the answers streaming in the process, so frames per second stay level under load."""

from __future__ import annotations

from contextlib import ExitStack

import pytest

from application.chat.answer_streams import AnswerStreams
from tests.unit.chat.test_token_stream import Harness


def streaming(streams: AnswerStreams, answers: int) -> ExitStack:
    stack = ExitStack()
    for _ in range(answers):
        stack.enter_context(streams.answering())
    return stack


@pytest.mark.parametrize(("answers", "window"), [(0, 0.03), (50, 0.03), (100, 0.06), (200, 0.12), (1000, 0.15)])
def test_the_window_grows_past_fifty_answers_up_to_the_longest(answers: int, window: float) -> None:
    streams = AnswerStreams(base=0.03, longest=0.15)
    with streaming(streams, answers):
        assert streams.streaming == answers
        assert streams.window() == pytest.approx(window)
    assert streams.streaming == 0 and streams.window() == pytest.approx(0.03)


def test_a_window_of_zero_stays_zero_and_a_longest_below_the_base_never_grows() -> None:
    with streaming(zero := AnswerStreams(base=0.0, longest=0.15), 500):
        assert zero.window() == 0.0
    with streaming(fixed := AnswerStreams(base=0.03, longest=0.0), 500):
        assert fixed.window() == pytest.approx(0.03)


def test_an_answer_that_fails_is_counted_out() -> None:
    streams = AnswerStreams(base=0.03, longest=0.15)
    with pytest.raises(RuntimeError), streams.answering():
        raise RuntimeError("the turn failed")
    assert streams.streaming == 0


async def test_a_token_stream_follows_the_window_as_the_load_changes() -> None:
    streams = AnswerStreams(base=0.03, longest=0.15)
    h = Harness(window=streams.window)
    with streaming(streams, 200):  # 120 ms windows: a token every 2 ms for 240 ms makes ~2 frames after the first
        for i in range(120):
            await h.tokens.add(f"{i} ")
            h.timer.advance(0.002)
    for i in range(120):  # back to 30 ms windows: ~8 frames
        await h.tokens.add(f"{i} ")
        h.timer.advance(0.002)
    await h.tokens.finish()
    texts = await h.texts()
    under_load = next(n for n, _ in enumerate(texts) if "119 0 " in "".join(texts[: n + 1]))
    assert under_load <= 3, texts
    assert len(texts) - under_load >= 7, texts
