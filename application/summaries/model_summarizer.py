"""The summary written by the configured language model, through the same ``ChatModel`` port as answers."""

from __future__ import annotations

from collections.abc import Sequence

from application.ports.chat_model import ChatModel
from application.prompting.short_completion import complete_text
from domain.messages import ChatMessage

INSTRUCTIONS = (
    "You maintain the running summary of a conversation between a user and an assistant. Rewrite the summary "
    "so it also covers the new messages. Keep names, numbers, decisions, the user's goals and open questions; "
    "drop pleasantries. At most 200 words, plain prose, no preamble: reply with the summary only."
)


class ModelSummarizer:
    def __init__(self, model: ChatModel, max_tokens: int = 320, message_chars: int = 2_000) -> None:
        self._model = model
        self._max_tokens = max_tokens
        self._message_chars = message_chars

    async def summarize(self, previous: str, messages: Sequence[ChatMessage]) -> str:
        transcript = "\n".join(f"{m.role.value}: {m.content[: self._message_chars]}" for m in messages)
        prompt = f"Summary so far:\n{previous or '(none yet)'}\n\nNew messages:\n{transcript}"
        return (await complete_text(self._model, INSTRUCTIONS, prompt, self._max_tokens)).strip() or previous
