from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from domain.messages import ChatMessage


class QueryRewriter(Protocol):
    """What a chat turn searches for: the question made to stand on its own, given the conversation before it
    (``history``, oldest first, without the question). A first question is searched as it is."""

    async def standalone(self, question: str, history: Sequence[ChatMessage]) -> str: ...
