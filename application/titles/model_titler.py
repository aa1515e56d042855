"""The title written by the configured language model, through the same ``ChatModel`` port as answers."""

from __future__ import annotations

from application.ports.chat_model import ChatModel
from application.prompting.short_completion import complete_text
from application.titles.cut_titler import MAX_TITLE_CHARS, cut_title

INSTRUCTIONS = (
    "Write a title for a conversation that starts with the user's message below: three to six words naming its "
    "topic, in the language of the message. Reply with the title only: no quotes, no preamble, no final period."
)


class ModelTitler:
    def __init__(self, model: ChatModel, max_tokens: int = 24, question_chars: int = 1_000) -> None:
        self._model = model
        self._max_tokens = max_tokens
        self._question_chars = question_chars

    async def title(self, question: str) -> str:
        excerpt = question[: self._question_chars]
        reply = await complete_text(self._model, INSTRUCTIONS, excerpt, self._max_tokens)
        written = reply.strip().strip("\"'\u201c\u201d\u2018\u2019").strip()
        # A model that rambles or says nothing still gives a usable title: its own first line, else the question.
        return cut_title(written, MAX_TITLE_CHARS) or cut_title(question)
