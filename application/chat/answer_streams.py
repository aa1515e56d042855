"""How many answers this process is streaming, and so how long a token frame gathers text."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class AnswerStreams:
    """Every token frame costs the event loop about the same whatever it carries (a delivery-log append, a
    publish, a socket send), so with a frame per ``base`` seconds per answer the loop's work grows with every
    answer streaming at once, and at a few hundred it crowds out the questions waiting for their first token.
    Past ``answers_per_base`` answers the window grows in proportion (``base * streaming / answers_per_base``, at
    most ``longest``): the frames per second stay about level, readers see text in somewhat larger pieces, and no
    text waits longer than ``longest``. The first token of an answer is never held (``TokenStream``)."""

    def __init__(self, base: float, longest: float, answers_per_base: int = 50) -> None:
        self._base = base
        self._longest = max(base, longest)
        self._per_base = answers_per_base
        self._streaming = 0

    @property
    def streaming(self) -> int:
        return self._streaming

    @contextmanager
    def answering(self) -> Iterator[None]:
        """Counts one answer in for the block's duration."""
        self._streaming += 1
        try:
            yield
        finally:
            self._streaming -= 1

    def window(self) -> float:
        """The current coalescing window, in seconds."""
        if self._streaming <= self._per_base:
            return self._base
        return min(self._longest, self._base * self._streaming / self._per_base)
