from __future__ import annotations

from typing import Protocol


class ChatTitler(Protocol):
    """Names a chat after its first question: with a language model, or by a clean cut of the question."""

    async def title(self, question: str) -> str:
        """A short title (a few words, no quotes or trailing punctuation). Raises ``ServiceUnavailable`` when the
        model cannot serve (the job is retried later)."""
        ...
