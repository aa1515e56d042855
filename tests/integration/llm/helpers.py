"""Driving a ``ChatModel`` stream in tests: collect everything, or everything up to the error it raised."""

from __future__ import annotations

from contextlib import aclosing

from application.ports.chat_model import ChatModel, CompletionRequest, PromptMessage, TextDelta, Usage


def request(question: str = "What do cats do?", max_tokens: int | None = 64) -> CompletionRequest:
    return CompletionRequest(
        messages=[
            PromptMessage(role="system", content="Be brief."),
            PromptMessage(role="user", content=question),
        ],
        question=question,
        max_tokens=max_tokens,
    )


async def collect(model: ChatModel, req: CompletionRequest | None = None) -> tuple[str, Usage]:
    text: list[str] = []
    usage: list[Usage] = []
    async with aclosing(model.stream(req or request())) as stream:
        async for item in stream:
            if isinstance(item, TextDelta):
                assert not usage, "a TextDelta arrived after the Usage"
                text.append(item.text)
            else:
                usage.append(item)
    assert len(usage) == 1, "the stream must end with exactly one Usage"
    return "".join(text), usage[0]


async def collect_until_error(model: ChatModel, req: CompletionRequest | None = None) -> tuple[list[str], Exception]:
    deltas: list[str] = []
    try:
        async with aclosing(model.stream(req or request())) as stream:
            async for item in stream:
                if isinstance(item, TextDelta):
                    deltas.append(item.text)
    except Exception as exc:
        return deltas, exc
    raise AssertionError(f"the stream ended without an error after {deltas!r}")
