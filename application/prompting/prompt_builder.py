"""Turns a chat turn into a ``CompletionRequest`` that fits the model's context window.

Budget order (what is given up last comes first): the system prompt with the rolling summary, the question
with as many of the best passages as fit, then the most recent turns not yet folded into the summary. Only
passages that made it into the prompt are in ``request.passages``, numbered from 1, so ``[n]`` in the answer
always means ``request.passages[n - 1]``.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from application.ports.chat_model import CompletionRequest, PromptMessage
from application.prompting.instructions import answering_user_message, format_passage, system_prompt
from application.prompting.token_budget import (
    MESSAGE_OVERHEAD_TOKENS,
    TokenBudget,
    TokenCounter,
    estimate_tokens,
)
from domain.chats import ChatSettings
from domain.context import ChatContext
from domain.documents import Passage
from domain.messages import ChatMessage, Role
from domain.stages import Stage


class PromptLimits(msgspec.Struct, frozen=True, kw_only=True):
    context_window: int = 4096
    """Tokens the model accepts in total (prompt + answer)."""
    max_answer_tokens: int = 512
    """Kept free for the answer and sent as ``max_tokens``."""
    max_history_messages: int = 20
    """At most this many recent messages are replayed verbatim, even when more would fit."""


DEFAULT_LIMITS = PromptLimits()
DEFAULT_SETTINGS = ChatSettings()


def build_completion_request(
    *,
    stage: Stage,
    question: str,
    history: Sequence[ChatMessage] = (),
    context: ChatContext | None = None,
    passages: Sequence[Passage] = (),
    limits: PromptLimits = DEFAULT_LIMITS,
    count_tokens: TokenCounter = estimate_tokens,
    settings: ChatSettings = DEFAULT_SETTINGS,
) -> CompletionRequest:
    """``history`` is the chat's earlier messages, oldest first, *without* the question being answered;
    ``passages`` are best first. In ``test`` stage passages are ignored (free chat has no retrieval).
    ``settings`` are the chat's own: its instructions join the system prompt, its model and temperature the
    request."""
    budget = TokenBudget(limits.context_window - limits.max_answer_tokens)
    summary = context.summary if context is not None else ""
    system = system_prompt(stage, summary, settings.instructions)
    if not budget.take(_cost(system, count_tokens)):
        # a summary that no longer fits is dropped, not truncated mid-word
        system = system_prompt(stage, "", settings.instructions)
        budget.take(_cost(system, count_tokens))

    kept: list[Passage] = []
    if stage.uses_retrieval:
        budget.take(_cost(answering_user_message(question, []), count_tokens))
        for passage in passages:
            if budget.take(count_tokens(format_passage(len(kept) + 1, passage)) + 1):
                kept.append(passage)
        user_text = answering_user_message(question, [format_passage(n, p) for n, p in enumerate(kept, 1)])
    else:
        budget.take(_cost(question, count_tokens))
        user_text = question

    summarized_through = context.summarized_through if context is not None else 0
    turns = _recent_turns(history, summarized_through, limits.max_history_messages, budget, count_tokens)
    messages = [
        PromptMessage(role="system", content=system),
        *_alternating([*turns, PromptMessage(role="user", content=user_text)]),
    ]
    return CompletionRequest(
        messages=messages, question=question, passages=kept, stage=stage, max_tokens=limits.max_answer_tokens,
        model=settings.model, temperature=settings.temperature,
    )


def _cost(text: str, count_tokens: TokenCounter) -> int:
    return count_tokens(text) + MESSAGE_OVERHEAD_TOKENS


def _recent_turns(
    history: Sequence[ChatMessage],
    summarized_through: int,
    max_messages: int,
    budget: TokenBudget,
    count_tokens: TokenCounter,
) -> list[PromptMessage]:
    """The newest unsummarized messages that fit, oldest first; stops at the first that does not fit so the
    replayed conversation has no holes."""
    picked: list[PromptMessage] = []
    for message in reversed(history):
        already_summarized = summarized_through > 0 and message.position <= summarized_through
        if len(picked) >= max_messages or already_summarized:
            break
        content = message.content.strip()
        if not content:
            continue
        if not budget.take(_cost(content, count_tokens)):
            break
        if message.role is Role.USER:
            picked.append(PromptMessage(role="user", content=content))
        else:
            picked.append(PromptMessage(role="assistant", content=content))
    picked.reverse()
    while picked and picked[0].role == "assistant":
        picked.pop(0)  # chat templates (Gemma, Llama) require the conversation to open with the user
    return picked


def _alternating(messages: list[PromptMessage]) -> list[PromptMessage]:
    """Merges consecutive messages of one role (an unanswered earlier question, say): strict chat templates
    reject two user turns in a row."""
    merged: list[PromptMessage] = []
    for message in messages:
        if merged and merged[-1].role == message.role:
            joined = f"{merged[-1].content}\n\n{message.content}"
            merged[-1] = PromptMessage(role=message.role, content=joined)
        else:
            merged.append(message)
    return merged
