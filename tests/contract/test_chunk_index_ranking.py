"""The ChunkIndex contract, keyword ranking: word rarity, headings, relaxation and exclusions."""

from __future__ import annotations

from application.ports.chunk_index import SearchMode
from tests.contract.chunk_index_backends import Backend, axis, chunk, indexed, search, texts


async def test_a_rare_query_word_outweighs_a_common_one(index_backend: Backend) -> None:
    document = await indexed(
        index_backend,
        lambda d: [
            *(chunk(d, i, f"python library notes, part {i}", axis((0, 1.0))) for i in range(40)),
            chunk(d, 40, "python bindings for the krill counter", axis((0, 1.0))),
            chunk(d, 41, "python library python library python", axis((0, 1.0))),
        ],
    )
    await index_backend.analyze()
    hits = await search(index_backend, document.owner_id, "python krill library", None, k=3, mode=SearchMode.KEYWORD)
    assert texts(hits)[0] == "python bindings for the krill counter"


async def test_a_word_in_the_heading_counts_more_than_in_the_text(index_backend: Backend) -> None:
    document = await indexed(
        index_backend,
        lambda d: [
            chunk(d, 0, "Some notes. The glacier moved.", axis((0, 1.0)), heading_path=["Field notes"]),
            chunk(d, 1, "Some notes. The ice moved.", axis((0, 1.0)), heading_path=["Glacier survey"]),
        ],
    )
    hits = await search(index_backend, document.owner_id, "glacier", None, mode=SearchMode.KEYWORD)
    assert texts(hits) == ["Some notes. The ice moved.", "Some notes. The glacier moved."]


async def test_a_question_finds_passages_holding_only_some_of_its_words(index_backend: Backend) -> None:
    document = await indexed(
        index_backend,
        lambda d: [
            chunk(d, 0, "Emperor penguins huddle through the polar winter.", axis((0, 1.0))),
            chunk(d, 1, "Volcanoes erupt molten rock.", axis((0, 1.0))),
        ],
    )
    hits = await search(
        index_backend, document.owner_id, "how do emperor penguins survive winter storms", None, mode=SearchMode.KEYWORD
    )
    assert texts(hits) == ["Emperor penguins huddle through the polar winter."]


async def test_an_excluded_word_stays_excluded_when_the_query_is_relaxed(index_backend: Backend) -> None:
    document = await indexed(
        index_backend,
        lambda d: [
            chunk(d, 0, "penguins eat krill", axis((0, 1.0))),
            chunk(d, 1, "penguins eat fish", axis((0, 1.0))),
            chunk(d, 2, "penguins sleep standing", axis((0, 1.0))),
        ],
    )
    hits = await search(index_backend, document.owner_id, "penguins eat squid -krill", None, mode=SearchMode.KEYWORD)
    assert "penguins eat krill" not in texts(hits)
    assert texts(hits)[0] == "penguins eat fish"


async def test_a_large_owner_still_gets_the_one_passage_with_every_word(index_backend: Backend) -> None:
    document = await indexed(
        index_backend, lambda d: [chunk(d, 0, "penguin colonies on the krill coast", axis((1, 1.0)))]
    )
    others = await indexed(index_backend, lambda d: [], owner_id=document.owner_id, filename="big.txt")
    await index_backend.bulk_add(document.owner_id, others.id, 3_000, axis((0, 1.0)), "penguin colonies nearby")
    await index_backend.analyze()
    hits = await search(index_backend, document.owner_id, "penguin colonies krill", None, mode=SearchMode.KEYWORD)
    assert texts(hits)[0] == "penguin colonies on the krill coast"
    assert len(hits) == 10


async def test_an_owner_holding_most_chunks_and_a_small_one_each_find_only_their_own(index_backend: Backend) -> None:
    # After ANALYZE the large owner holds nearly every chunk: its keyword searches check the owner on each row
    # instead of in the index; the small owner's go through the index. Neither may see the other's passages.
    small = await indexed(index_backend, lambda d: [chunk(d, 0, "penguin colonies on the krill coast", axis((1, 1.0)))])
    large = await indexed(index_backend, lambda d: [], filename="big.txt")
    await index_backend.bulk_add(large.owner_id, large.id, 3_000, axis((0, 1.0)), "penguin colonies nearby")
    await index_backend.analyze()
    for mode in (SearchMode.KEYWORD, SearchMode.HYBRID):
        hits = await search(index_backend, large.owner_id, "penguin krill coast", axis((1, 1.0)), mode=mode)
        assert len(hits) == 10, mode
        assert all(body.startswith("penguin colonies nearby") for body in texts(hits)), mode
        hits = await search(index_backend, small.owner_id, "penguin colonies", axis((0, 1.0)), mode=mode)
        assert texts(hits) == ["penguin colonies on the krill coast"], mode
