"""Counting tokens without a model's own tokenizer, and spending a context window on a prompt.

Prompt building must know how much fits, but the real tokenizer belongs to whatever server answers (and
tiktoken would download its encodings at run time). So every count goes through a ``TokenCounter`` callable:
the default is a documented heuristic, and an adapter with a real tokenizer can pass that instead.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable

from application.ports.chat_model import PromptMessage

TokenCounter = Callable[[str], int]
"""Number of tokens ``text`` costs the model."""

MESSAGE_OVERHEAD_TOKENS = 4
"""Role markers and separators a chat template adds around each message (OpenAI documents ~3-4)."""

_PIECES = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def estimate_tokens(text: str) -> int:
    """A tokenizer-free estimate, close to BPE tokenizers on English and safe on other scripts.

    Each punctuation mark is one token; an ASCII word costs one token per started 4 characters (OpenAI's
    "~4 characters per token" rule applied per word, so short words are not undercounted); a non-ASCII word
    (CJK, Cyrillic, accented) costs one token per character, because BPE vocabularies split them finely.
    It overestimates rather than under, which is the safe side for a context budget.
    """
    total = 0
    for piece in _PIECES.findall(text):
        total += math.ceil(len(piece) / 4) if piece.isascii() else len(piece)
    return total


def count_message_tokens(messages: Iterable[PromptMessage], count: TokenCounter = estimate_tokens) -> int:
    """Prompt tokens of a chat request: every message's content plus its template overhead."""
    return sum(count(m.content) + MESSAGE_OVERHEAD_TOKENS for m in messages)


class TokenBudget:
    """What is left of a context window; ``take`` spends only when the whole piece fits."""

    def __init__(self, limit: int) -> None:
        self.remaining = max(0, limit)

    def fits(self, tokens: int) -> bool:
        return tokens <= self.remaining

    def take(self, tokens: int) -> bool:
        if not self.fits(tokens):
            return False
        self.remaining -= tokens
        return True
