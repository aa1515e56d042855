"""The NumPy query encoder must give the vectors sentence-transformers gives for the same model folder."""

from __future__ import annotations

import math
import os

import pytest

from adapters.embedding.local_sentence_embedder import LocalSentenceEmbedder, bundled_model_dir
from adapters.embedding.numpy_bert import NumpyBertEncoder, erf

TEXTS = [
    "Where do penguins live?",
    "How do I set the embedding dimension for an OpenAI-compatible endpoint?",
    "naïve café — ünïcödé and 中文 text",
    "word " * 400,  # beyond the 256-token window: truncated the same way
]


def test_erf_matches_the_standard_library() -> None:
    import numpy as np

    xs = np.linspace(-6, 6, 241, dtype=np.float32)
    assert max(abs(float(a) - math.erf(float(x))) for a, x in zip(erf(xs), xs, strict=True)) < 2e-7


async def test_query_vectors_match_sentence_transformers() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    model_dir = bundled_model_dir()
    numpy_vectors = [NumpyBertEncoder(model_dir).encode(text) for text in TEXTS]
    embedder = LocalSentenceEmbedder(model_dir, 384)
    try:
        torch_vectors = await embedder.embed_documents(TEXTS)
        via_query = await embedder.embed_query(TEXTS[0])
    finally:
        embedder.close()
    for ours, theirs in zip(numpy_vectors, torch_vectors, strict=True):
        assert len(ours) == len(theirs) == 384
        assert max(abs(a - b) for a, b in zip(ours, theirs, strict=True)) < 1e-5
        assert sum(a * b for a, b in zip(ours, theirs, strict=True)) == pytest.approx(1.0, abs=1e-5)
    assert via_query == numpy_vectors[0]
