"""A follow-up question rewritten by the language model into a standalone search query.

A cheap, bounded call (a few dozen tokens, a short timeout), made only when there is a conversation to resolve
the question against. When the model fails, is slow or answers with something that is not a query, the
deterministic combination is searched instead: retrieval never waits on, or fails because of, the rewrite.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from application.ports.chat_model import ChatModel
from application.prompting.short_completion import complete_text
from application.retrieval.followup_query import combined_query, previous_questions
from domain.messages import ChatMessage

log = logging.getLogger(__name__)

INSTRUCTIONS = (
    "Rewrite the user's last question as one standalone search query for their documents. Use the "
    "conversation only to say what words like 'it', 'that' or 'the second one' refer to. Reply with the query "
    "alone, at most 20 words, no quotes, no explanation."
)
MAX_TURN_CHARS = 500
MAX_QUERY_CHARS = 300


class ModelQueryRewriter:
    def __init__(self, model: ChatModel, *, max_tokens: int = 48, timeout_seconds: float = 8.0, turns: int = 4) -> None:
        self._model = model
        self._max_tokens = max_tokens
        self._timeout_seconds = timeout_seconds
        self._turns = turns

    async def standalone(self, question: str, history: Sequence[ChatMessage]) -> str:
        previous = previous_questions(history)
        if not previous:
            return question  # a first question stands on its own: no call
        try:
            async with asyncio.timeout(self._timeout_seconds):
                rewritten = await self._ask(question, history[-self._turns :])
        except Exception as exc:  # any failure: fall back, never fail the turn
            log.warning("query rewrite failed; searching the combined question", extra={"error": repr(exc)})
            rewritten = ""
        return rewritten or combined_query(question, previous)

    async def _ask(self, question: str, recent: Sequence[ChatMessage]) -> str:
        transcript = "\n".join(f"{m.role.value}: {' '.join(m.content.split())[:MAX_TURN_CHARS]}" for m in recent)
        prompt = f"Conversation:\n{transcript}\n\nLast question: {question}"
        reply = await complete_text(self._model, INSTRUCTIONS, prompt, self._max_tokens)
        lines = [line.strip().strip("\"'`").strip() for line in reply.splitlines() if line.strip()]
        query = lines[0] if lines else ""
        return query if 0 < len(query) <= MAX_QUERY_CHARS else ""
