"""Embedders for ``benchmarks.search_scale``: the hashing embedder (fast enough for 100k chunks on two cores)
and the bundled all-MiniLM-L6-v2, with results kept on disk between builds."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from adapters.embedding.hashing_embedder import HashingEmbedder

Embed = Callable[[list[str]], np.ndarray]


def hashing_embed(texts: list[str]) -> np.ndarray:
    embedder = HashingEmbedder(384)
    return np.array([embedder.vector(text) for text in texts], dtype=np.float32)


def minilm_embed(texts: list[str]) -> np.ndarray:
    from sentence_transformers import SentenceTransformer

    from adapters.embedding.local_sentence_embedder import bundled_model_dir

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    model = SentenceTransformer(str(bundled_model_dir()), device="cpu", local_files_only=True)
    vectors: np.ndarray = model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    return vectors


def cached(embed: Embed, folder: Path, name: str) -> Embed:
    """``embed`` with its results kept in ``folder`` (keyed by the texts), for rebuilding a database."""

    def run(texts: list[str]) -> np.ndarray:
        digest = hashlib.sha256("\0".join(texts).encode()).hexdigest()[:16]
        path = folder / f"{name}-{len(texts)}-{digest}.npy"
        if path.exists():
            stored: np.ndarray = np.load(path)
            return stored
        vectors = embed(texts)
        folder.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
        return vectors

    return run
