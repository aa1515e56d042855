"""The embedded default ``ChatModel`` when no language model is configured.

It cannot write an answer, so it says so and quotes the best-matching whole sentences of the retrieved passages,
citing each as ``[n]`` exactly like a model would: the rest of the chat path (citation frames, usage, the
delivery log) runs unchanged. In ``test`` stage free chat has nothing to quote, so it explains what is needed.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncGenerator

from adapters.llm.extractive_quote import quote
from application.ports.chat_model import CompletionRequest, TextDelta, Usage
from application.prompting.instructions import passage_label
from application.prompting.token_budget import TokenCounter, count_message_tokens, estimate_tokens
from domain.documents import Passage
from domain.stages import Stage

NO_MODEL = "I am running without a language model, so I cannot write an answer of my own."
TEST_STAGE_ANSWER = (
    f"{NO_MODEL} Free chat in test mode needs one: an administrator can connect any OpenAI-compatible "
    "server with RAGCHAT_LLM_BASE_URL and RAGCHAT_LLM_MODEL. Switch this chat to answering mode to search "
    "your documents."
)
NOTHING_FOUND_ANSWER = (
    f"{NO_MODEL} I can only quote your documents, and your documents do not cover this question: I found "
    "nothing in them that matches it closely enough. Try other words, or check that the documents you expect "
    "are ready and selected for this chat."
)
QUOTING_INTRO = f"{NO_MODEL} These passages of your documents match your question best:"

_CITATION_LIKE = re.compile(r"\[(\d+)\]")
_PIECE = re.compile(r"\s*\S+")


class OfflineAnswerer:
    def __init__(
        self, *, max_quotes: int = 3, max_quote_chars: int = 320, count_tokens: TokenCounter = estimate_tokens
    ):
        self._max_quotes = max_quotes
        self._max_quote_chars = max_quote_chars
        self._count_tokens = count_tokens

    @property
    def name(self) -> str:
        return "offline-extractive"

    async def status(self) -> str:
        return "available"

    async def aclose(self) -> None:
        return None

    async def stream(self, request: CompletionRequest) -> AsyncGenerator[TextDelta | Usage, None]:
        answer = self.compose(request)
        for piece in _PIECE.findall(answer):
            await asyncio.sleep(0)  # one word at a time, and a chance to be cancelled between words
            yield TextDelta(text=piece)
        yield Usage(
            prompt_tokens=count_message_tokens(request.messages, self._count_tokens),
            completion_tokens=self._count_tokens(answer),
            estimated=True,
        )

    def compose(self, request: CompletionRequest) -> str:
        if request.stage is Stage.TEST:
            return TEST_STAGE_ANSWER
        quotes: list[str] = []
        for n, passage in enumerate(request.passages, 1):  # n must stay the passage's number in the request
            if len(quotes) < self._max_quotes and (excerpt := self._excerpt(passage, request.question)):
                quotes.append(f"From {passage_label(passage)}:\n> {excerpt} [{n}]")
        return "\n\n".join([QUOTING_INTRO, *quotes]) if quotes else NOTHING_FOUND_ANSWER

    def _excerpt(self, passage: Passage, question: str) -> str:
        """Whole sentences that best match the question (``extractive_quote``), within ``max_quote_chars``."""
        text = quote(passage.text, question, self._max_quote_chars)
        # The quoted document's own "[12]" references must not read as citations of our passages.
        return _CITATION_LIKE.sub(r"(\1)", text)
