"""The offline way to search a follow-up question in the context of the conversation.

"And what about its default port?" searched alone finds every document that mentions a port. Without a model
to rewrite it, the question is searched together with the previous user question, which names what "it" is.
Only the user's words are used: an answer quotes passages and would pull the search back to them even when the
user changed the subject.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.messages import ChatMessage, Role

MAX_PREVIOUS_CHARS = 400
"""The previous question is cut to this (at a word boundary): it names the subject, it need not be whole."""


def previous_questions(history: Sequence[ChatMessage]) -> list[str]:
    return [m.content for m in history if m.role is Role.USER and m.content.strip()]


def combined_query(question: str, previous: Sequence[str]) -> str:
    """``question`` followed by the latest of ``previous`` (earlier user questions, oldest first); the question
    alone when there is none."""
    if not previous:
        return question
    last = " ".join(previous[-1].split())
    if len(last) > MAX_PREVIOUS_CHARS:
        last = last[:MAX_PREVIOUS_CHARS].rsplit(" ", 1)[0]
    return f"{question} {last}"


class CombiningQueryRewriter:
    """``QueryRewriter`` without a model: deterministic, instant."""

    async def standalone(self, question: str, history: Sequence[ChatMessage]) -> str:
        return combined_query(question, previous_questions(history))
