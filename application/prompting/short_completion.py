"""One instruction and one prompt sent to the chat model, its whole reply collected as text.

Titles, summaries and follow-up query rewrites are side jobs of the same ``ChatModel`` port that answers
stream through; they want the finished text, not the frames, so this is the one place that drains a stream.
"""

from __future__ import annotations

import contextlib

from application.ports.chat_model import ChatModel, CompletionRequest, PromptMessage, TextDelta
from domain.stages import Stage


async def complete_text(model: ChatModel, instructions: str, prompt: str, max_tokens: int) -> str:
    request = CompletionRequest(
        messages=[PromptMessage(role="system", content=instructions), PromptMessage(role="user", content=prompt)],
        question=prompt,
        stage=Stage.TEST,
        max_tokens=max_tokens,
    )
    parts: list[str] = []
    async with contextlib.aclosing(model.stream(request)) as stream:
        async for event in stream:
            if isinstance(event, TextDelta):
                parts.append(event.text)
    return "".join(parts)
