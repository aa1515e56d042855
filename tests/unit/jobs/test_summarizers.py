from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator
from datetime import UTC, datetime

from application.ports.chat_model import CompletionRequest, TextDelta, Usage
from application.summaries.extractive_summarizer import ExtractiveSummarizer
from application.summaries.model_summarizer import ModelSummarizer
from domain.messages import ChatMessage, Role

CHAT = uuid.uuid4()


def _message(role: Role, content: str) -> ChatMessage:
    return ChatMessage(id=uuid.uuid4(), chat_id=CHAT, role=role, content=content, created_at=datetime.now(UTC))


async def test_extractive_lines_quote_the_answer_sentence_that_matches_the_question() -> None:
    summary = await ExtractiveSummarizer().summarize("user: earlier line", [
        _message(Role.USER, "Which hotel is closest to the station? We arrive late."),
        _message(Role.ASSISTANT, "I cannot write. From guide.md:\n> The Central Hotel faces the station. [1]"),
    ])
    assert summary.splitlines() == [
        "user: earlier line",
        "user: Which hotel is closest to the station?",
        "assistant: The Central Hotel faces the station.",
    ]


async def test_extractive_summary_keeps_the_newest_lines_within_its_limit() -> None:
    summarizer = ExtractiveSummarizer(max_chars=60)
    summary = await summarizer.summarize("", [_message(Role.USER, f"Question number {n}.") for n in range(10)])
    assert summary.splitlines()[-1] == "user: Question number 9."
    assert len(summary) <= 60 and "Question number 0" not in summary


class ScriptedModel:
    def __init__(self, *pieces: str) -> None:
        self.pieces = pieces
        self.requests: list[CompletionRequest] = []

    @property
    def name(self) -> str:
        return "scripted"

    async def stream(self, request: CompletionRequest) -> AsyncGenerator[TextDelta | Usage, None]:
        self.requests.append(request)
        for piece in self.pieces:
            yield TextDelta(text=piece)
        yield Usage(prompt_tokens=1, completion_tokens=1)


async def test_the_model_rewrites_the_summary_from_the_previous_one_and_the_new_messages() -> None:
    model = ScriptedModel(" The user plans", " a June trip. ")
    summary = await ModelSummarizer(model).summarize("Earlier: budget 900 EUR.", [_message(Role.USER, "June?")])
    assert summary == "The user plans a June trip."
    [request] = model.requests
    assert "Earlier: budget 900 EUR." in request.messages[-1].content and "user: June?" in request.messages[-1].content
    assert await ModelSummarizer(ScriptedModel()).summarize("kept", [_message(Role.USER, "x")]) == "kept"
