from __future__ import annotations

from typing import Protocol


class Tokenizer(Protocol):
    """Splits text the way the embedder will see it, so a chunk of N tokens fits the embedder's window."""

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        """Character ``(start, end)`` of every token, in order, without special tokens."""
        ...
