from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from domain.messages import ChatMessage


class Summarizer(Protocol):
    """Folds messages into a chat's rolling summary: with a language model, or extractively without one."""

    async def summarize(self, previous: str, messages: Sequence[ChatMessage]) -> str:
        """The new summary of ``previous`` followed by ``messages`` (oldest first). Raises
        ``ModelUnavailable`` when the model cannot serve (the job is retried later)."""
        ...
