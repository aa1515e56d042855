"""Chunking properties: windows fit, overlap, cover everything, and keep page and heading."""

from __future__ import annotations

import itertools

import pytest

from adapters.embedding.hf_tokenizer import HuggingFaceTokenizer
from adapters.embedding.local_sentence_embedder import bundled_model_dir
from adapters.embedding.word_tokenizer import WordTokenizer
from adapters.parsing.text_builder import TextBuilder
from application.ingestion.chunker import chunk_document
from application.ingestion.policy import IndexingPolicy
from application.ports.document_parser import ParsedDocument
from application.ports.tokenizer import Tokenizer

WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma".split()


def prose(count: int, seed: int = 0) -> str:
    return " ".join(WORDS[(i * 7 + seed) % len(WORDS)] + ("." if i % 11 == 10 else "") for i in range(count))


def document(*blocks: tuple[str, int | None, tuple[str, ...]]) -> ParsedDocument:
    builder = TextBuilder(10_000_000)
    for body, page, headings in blocks:
        builder.add(body, page=page, heading_path=headings)
    return builder.build()


@pytest.fixture(params=["words", "minilm"], scope="module")
def tokenizer(request: pytest.FixtureRequest) -> Tokenizer:
    if request.param == "words":
        return WordTokenizer()
    return HuggingFaceTokenizer(bundled_model_dir() / "tokenizer.json")


def tokens_in(tokenizer: Tokenizer, text: str) -> int:
    return len(tokenizer.token_offsets(text))


def test_windows_fit_overlap_and_cover_every_token(tokenizer: Tokenizer) -> None:
    policy = IndexingPolicy(chunk_size_tokens=50, chunk_overlap_tokens=10)
    parsed = document((prose(400), None, ()))
    chunks = chunk_document(parsed, tokenizer, policy)
    assert len(chunks) > 5
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        assert chunk.text == parsed.text[chunk.char_start : chunk.char_end]
        assert tokens_in(tokenizer, chunk.text) <= 50
        assert chunk.text == chunk.text.strip()
    for before, after in itertools.pairwise(chunks):
        assert after.char_start < before.char_end  # overlapping
        assert after.char_start > before.char_start  # always moving on
        overlap = tokens_in(tokenizer, parsed.text[after.char_start : before.char_end])
        assert 5 <= overlap <= 12
    covered = set()
    for chunk in chunks:
        covered.update(range(chunk.char_start, chunk.char_end))
    assert all(i in covered for i, ch in enumerate(parsed.text) if not ch.isspace())


def test_windows_end_on_word_boundaries(tokenizer: Tokenizer) -> None:
    text = " ".join(["internationalization", "unbelievably", "counterrevolutionaries"] * 60)
    chunks = chunk_document(
        document((text, None, ())), tokenizer, IndexingPolicy(chunk_size_tokens=40, chunk_overlap_tokens=8)
    )
    words = set(text.split())
    for chunk in chunks:
        assert set(chunk.text.split()) <= words


def test_a_heading_change_starts_a_new_chunk_and_pages_are_kept(tokenizer: Tokenizer) -> None:
    policy = IndexingPolicy(chunk_size_tokens=40, chunk_overlap_tokens=5)
    parsed = document(
        ("Intro " + prose(30), 1, ("Guide",)),
        (prose(30, seed=3), 2, ("Guide",)),
        ("Setup " + prose(30, seed=5), 2, ("Guide", "Setup")),
    )
    chunks = chunk_document(parsed, tokenizer, policy)
    setup = [c for c in chunks if c.heading_path == ("Guide", "Setup")]
    guide = [c for c in chunks if c.heading_path == ("Guide",)]
    assert setup and guide and len(setup) + len(guide) == len(chunks)
    assert all(c.text.startswith("Setup") for c in setup[:1])
    assert all(g.char_end <= setup[0].char_start for g in guide)
    assert guide[0].page == 1 and guide[-1].page == 2 and setup[0].page == 2
    assert setup[0].embedding_input.startswith("Guide > Setup\n")


def test_a_draft_counts_the_tokens_the_embedder_will_see(tokenizer: Tokenizer) -> None:
    parsed = document(
        (prose(90), None, ()),
        ("Setup " + prose(120, seed=5), None, ("Guide", "Setup, step by step")),
        (" ".join(["internationalization"] * 70), None, ("Guide", "Long words")),
    )
    chunks = chunk_document(parsed, tokenizer, IndexingPolicy(chunk_size_tokens=40, chunk_overlap_tokens=5))
    assert {c.heading_path for c in chunks} == {(), ("Guide", "Setup, step by step"), ("Guide", "Long words")}
    for chunk in chunks:
        assert chunk.tokens == tokens_in(tokenizer, chunk.embedding_input)


def test_a_tiny_section_joins_the_next_one() -> None:
    parsed = document(("Chapter 1", None, ("Chapter 1",)), (prose(60), None, ("Chapter 1", "Background")))
    chunks = chunk_document(parsed, WordTokenizer(), IndexingPolicy(chunk_size_tokens=200, chunk_overlap_tokens=20))
    assert len(chunks) == 1
    assert chunks[0].text.startswith("Chapter 1\n\n")
    assert chunks[0].heading_path == ("Chapter 1", "Background")


def test_short_document_is_one_chunk_and_chunking_is_deterministic(tokenizer: Tokenizer) -> None:
    parsed = document(("Just one short paragraph.", None, ()))
    first = chunk_document(parsed, tokenizer, IndexingPolicy())
    assert [c.text for c in first] == ["Just one short paragraph."]
    assert chunk_document(parsed, tokenizer, IndexingPolicy()) == first


def test_the_minilm_tokenizer_sees_the_whole_text_not_its_first_128_tokens() -> None:
    tokenizer = HuggingFaceTokenizer(bundled_model_dir() / "tokenizer.json")
    assert tokens_in(tokenizer, prose(600)) > 600


@pytest.mark.parametrize(("size", "overlap"), [(4, 0), (100, 60), (100, -1)])
def test_nonsense_policies_are_refused(size: int, overlap: int) -> None:
    with pytest.raises(ValueError):
        IndexingPolicy(chunk_size_tokens=size, chunk_overlap_tokens=overlap)
