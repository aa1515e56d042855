"""The summary without a language model: a line per message, the sentence that says most about it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from domain.messages import ChatMessage, Role

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"\w{4,}", re.UNICODE)
_CITATION = re.compile(r"\s*\[\d+\]")


def _sentences(text: str) -> list[str]:
    cleaned = (_CITATION.sub("", s).lstrip("> ").strip() for s in _SENTENCE_END.split(text))
    return [s for s in cleaned if s]


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


class ExtractiveSummarizer:
    """Rolling and bounded: each folded message adds one line (a user message's first sentence; an answer's
    first sentence sharing a word with the question it answers), and only the newest ``max_chars`` are kept.
    Deterministic, so a re-run folds to the same text."""

    def __init__(self, max_chars: int = 4_000, line_chars: int = 240) -> None:
        self._max_chars = max_chars
        self._line_chars = line_chars

    async def summarize(self, previous: str, messages: Sequence[ChatMessage]) -> str:
        lines = [line for line in previous.splitlines() if line.strip()]
        question: set[str] = set()
        for message in messages:
            sentences = _sentences(message.content)
            if not sentences:
                continue
            if message.role is Role.USER:
                question = _words(message.content)
                chosen = sentences[0]
            else:
                chosen = next((s for s in sentences if question & _words(s)), sentences[0])
            if len(chosen) > self._line_chars:
                chosen = chosen[: self._line_chars].rsplit(" ", 1)[0] + " …"
            lines.append(f"{message.role.value}: {chosen}")
        return self._newest_within_limit(lines)

    def _newest_within_limit(self, lines: list[str]) -> str:
        kept: list[str] = []
        size = 0
        for line in reversed(lines):
            if kept and size + len(line) + 1 > self._max_chars:
                break
            kept.append(line)
            size += len(line) + 1
        return "\n".join(reversed(kept))
