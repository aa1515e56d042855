"""The hashing embedder's vectors are stable: stored chunks keep matching new queries after an upgrade."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import math
import re

from adapters.embedding import hashing_embedder
from adapters.embedding.hashing_embedder import HashingEmbedder

TEXTS = [
    "",
    "   ...   ",
    "Hello",
    "The cat sat on the mat. The cat sat on the MAT, again and again and again.",
    "İstanbul, Straße, naïve café — ÆØÅ; 東京 タワー 123 4.5e6 snake_case_words",
    "word " * 500,
    "Réunion des données\n# Heading > Sub\nlong lines of prose repeat prose repeat prose",
]


def reference_vector(text: str, dimension: int) -> list[float]:
    """The plain per-feature loop the embedder shipped with; its vectors are the ones stored."""
    values = [0.0] * dimension
    words = [word.lower() for word in re.findall(r"\w+", text)]
    for feature in words + [f"{a} {b}" for a, b in itertools.pairwise(words)]:
        number = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "little")
        weight = 1.0 if " " not in feature else 0.5
        values[number % dimension] += weight if (number >> 63) & 1 else -weight
    norm = math.sqrt(sum(v * v for v in values))
    if norm == 0.0:
        values[0] = 1.0
        return values
    return [v / norm for v in values]


def test_vectors_are_bit_for_bit_those_of_the_reference_loop() -> None:
    for dimension in (8, 64, 384):
        embedder = HashingEmbedder(dimension)
        for _ in range(2):  # the second time from remembered features
            assert [embedder.vector(text) for text in TEXTS] == [reference_vector(t, dimension) for t in TEXTS]


def test_many_texts_off_the_event_loop_and_a_full_feature_memory_give_the_same_vectors(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(hashing_embedder, "_REMEMBERED_FEATURES", 5)
    embedder = HashingEmbedder(384)
    many = TEXTS * 3
    vectors = asyncio.run(embedder.embed_documents(many))
    assert vectors == [reference_vector(text, 384) for text in many]
    assert asyncio.run(embedder.embed_query(TEXTS[3])) == reference_vector(TEXTS[3], 384)
