"""Token accounting."""

from __future__ import annotations

import uuid

import msgspec


class TokenUsage(msgspec.Struct, kw_only=True, frozen=True):
    """Tokens one assistant message cost; recorded once per message (the message id is the idempotency key)."""

    message_id: uuid.UUID
    chat_id: uuid.UUID
    user_id: uuid.UUID
    prompt_tokens: int
    completion_tokens: int
    estimated: bool = False
    """True when the model did not report usage and we counted with a tokenizer."""

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class UsageTotals(msgspec.Struct, kw_only=True, frozen=True):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    estimated_tokens: int = 0
    """How many of the tokens were counted by us (the model reported none), so may differ from a provider's bill."""

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __sub__(self, other: UsageTotals) -> UsageTotals:
        return UsageTotals(
            prompt_tokens=self.prompt_tokens - other.prompt_tokens,
            completion_tokens=self.completion_tokens - other.completion_tokens,
            estimated_tokens=self.estimated_tokens - other.estimated_tokens,
        )

    def __add__(self, other: UsageTotals) -> UsageTotals:
        return UsageTotals(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            estimated_tokens=self.estimated_tokens + other.estimated_tokens,
        )
