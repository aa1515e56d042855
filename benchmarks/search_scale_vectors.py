"""Embedders for ``benchmarks.search_scale``: the hashing embedder (fast enough for 100k chunks on two cores)
and the bundled all-MiniLM-L6-v2 through the product's ONNX Runtime path (``open_document_encoder``, the
export kept under ``<cache dir>/models``), with results kept on disk between builds.

A long MiniLM run keeps its progress in blocks (``<cache dir>/<name>-partial-<digest>/``), so an interrupted
embedding resumes where it stopped."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from adapters.embedding.hashing_embedder import HashingEmbedder

Embed = Callable[[list[str]], np.ndarray]
BLOCK = 2048
"""Passages per saved block of a MiniLM run (a few minutes of work on two cores)."""
BATCH = 32
"""Passages per call to the ONNX session (texts are length-sorted within a block)."""


def hashing_embed(texts: list[str]) -> np.ndarray:
    embedder = HashingEmbedder(384)
    return np.array([embedder.vector(text) for text in texts], dtype=np.float32)


def _digest(texts: list[str]) -> str:
    return hashlib.sha256("\0".join(texts).encode()).hexdigest()[:16]


def minilm_embed(backend: str, cache_dir: Path) -> Embed:
    """all-MiniLM-L6-v2 through ``backend`` (``onnx``, ``onnx-int8`` or ``torch``), as documents are embedded."""

    def run(texts: list[str]) -> np.ndarray:
        from adapters.embedding.document_encoders import open_document_encoder
        from adapters.embedding.local_sentence_embedder import bundled_model_dir

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        encoder = open_document_encoder(bundled_model_dir(), backend, cache_dir / "models")  # type: ignore[arg-type]
        partial = cache_dir / f"minilm-{backend}-partial-{len(texts)}-{_digest(texts)}"
        partial.mkdir(parents=True, exist_ok=True)
        blocks: list[np.ndarray] = []
        started = time.perf_counter()
        done = 0
        for number, first in enumerate(range(0, len(texts), BLOCK)):
            path = partial / f"{number:05d}.npy"
            if path.exists():
                blocks.append(np.load(path))
                continue
            block = np.asarray(encoder.encode(texts[first : first + BLOCK], BATCH), dtype=np.float32)
            np.save(path, block)
            blocks.append(block)
            done += len(block)
            rate = done / (time.perf_counter() - started)
            print(f"  {backend}: {first + len(block)}/{len(texts)} passages, {rate:.1f}/s "
                  f"(load {os.getloadavg()[0]:.1f})", flush=True)  # fmt: skip
        return np.concatenate(blocks) if blocks else np.empty((0, encoder.dimension), dtype=np.float32)

    return run


def cached(embed: Embed, folder: Path, name: str) -> Embed:
    """``embed`` with its results kept in ``folder`` (keyed by the texts), for rebuilding a database."""

    def run(texts: list[str]) -> np.ndarray:
        path = folder / f"{name}-{len(texts)}-{_digest(texts)}.npy"
        if path.exists():
            stored: np.ndarray = np.load(path)
            return stored
        vectors = embed(texts)
        folder.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
        return vectors

    return run
