from adapters.llm.offline_answerer import NO_MODEL, OfflineAnswerer
from application.ports.chat_model import CompletionRequest, PromptMessage, TextDelta, Usage
from application.prompting.citations import cited_passages
from application.prompting.prompt_builder import build_completion_request
from domain.stages import Stage
from tests.unit.prompting.factories import passage


async def answer(request: CompletionRequest) -> tuple[list[str], Usage]:
    deltas: list[str] = []
    usage: list[Usage] = []
    async for item in OfflineAnswerer().stream(request):
        if isinstance(item, TextDelta):
            deltas.append(item.text)
        else:
            usage.append(item)
    assert len(usage) == 1
    return deltas, usage[0]


async def test_quotes_the_best_passages_and_cites_each_one_it_quotes() -> None:
    passages = [
        passage("Dogs bark at night. Cats sleep sixteen hours a day. Birds sing.", page=2),
        passage("Cats purr when content."),
    ]
    request = build_completion_request(stage=Stage.ANSWERING, question="How long do cats sleep?", passages=passages)

    deltas, usage = await answer(request)
    text = "".join(deltas)

    assert text.startswith(NO_MODEL)
    assert "Cats sleep sixteen hours a day." in text
    assert "Cats purr when content." in text
    assert [c.chunk_id for c in cited_passages(text, request.passages)] == [p.chunk_id for p in passages]
    assert "From guide.md, page 2:" in text
    assert usage.estimated and usage.completion_tokens > 0


async def test_streams_word_by_word() -> None:
    request = build_completion_request(stage=Stage.ANSWERING, question="q", passages=[passage("one two three")])

    deltas, _ = await answer(request)

    assert len(deltas) > 10
    assert all(len(d.split()) == 1 for d in deltas)


async def test_quotes_at_most_three_passages_shortened_and_without_their_own_bracket_numbers() -> None:
    long_text = "Reference [7] says so. " + "filler words " * 100
    request = build_completion_request(
        stage=Stage.ANSWERING, question="what?", passages=[passage(long_text) for _ in range(5)]
    )

    text = "".join((await answer(request))[0])

    assert [c.n for c in cited_passages(text, request.passages)] == [1, 2, 3]
    assert "Reference (7) says so." in text
    assert len(text) < 5 * 400


async def test_without_passages_it_says_nothing_was_found_in_the_documents() -> None:
    request = build_completion_request(stage=Stage.ANSWERING, question="What is love?")

    text = "".join((await answer(request))[0])

    assert "found nothing" in text
    assert "[" not in text


async def test_in_test_stage_it_explains_free_chat_needs_a_model() -> None:
    request = CompletionRequest(messages=[PromptMessage(role="user", content="hi")], question="hi", stage=Stage.TEST)

    text = "".join((await answer(request))[0])

    assert text.startswith(NO_MODEL)
    assert "RAGCHAT_LLM_BASE_URL" in text


async def test_empty_passages_are_skipped_but_the_others_keep_their_numbers() -> None:
    request = build_completion_request(stage=Stage.ANSWERING, question="q", passages=[passage(" "), passage("Cats.")])

    text = "".join((await answer(request))[0])

    assert [c.n for c in cited_passages(text, request.passages)] == [2]
