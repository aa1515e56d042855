from __future__ import annotations

import uuid

from domain.context import ChatContext
from domain.usage import TokenUsage


class BackgroundStore:
    """The in-memory tables of background work (token usage, chat contexts), next to ``MemoryStore`` and
    written through the same ``MemorySession`` so they commit and roll back with the request."""

    def __init__(self) -> None:
        self.token_usage: dict[uuid.UUID, TokenUsage] = {}
        self.chat_contexts: dict[uuid.UUID, ChatContext] = {}
