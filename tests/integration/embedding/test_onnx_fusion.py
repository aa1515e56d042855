"""The fp32 export is ONNX Runtime's fused graph (attention, skip layer norms, GELU, embedding layer norm in its
own kernels) and gives the plain graph's vectors; when the optimizer fails, the plain graph is kept with a
warning instead of the export failing (which would leave documents to torch)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np
import onnx
import pytest

from adapters.embedding import onnx_export
from adapters.embedding.local_sentence_embedder import bundled_model_dir
from adapters.embedding.onnx_model_cache import OnnxModelCache
from adapters.embedding.onnx_sentence_encoder import OnnxSentenceEncoder

PASSAGES = [
    "Where do penguins live?",
    "Installation > Upgrading\nAlembic is a database migrations tool written by the author of SQLAlchemy. It can "
    "emit ALTER statements to a database in order to change the structure of tables and other constructs.",
    "def connect(url: str, *, timeout: float = 5.0) -> Connection:  # retries with backoff",
    "naïve café — ünïcödé and 中文 text",
    "word " * 400,
    "A short one.",
]
FUSED_KERNELS = {"Attention", "SkipLayerNormalization", "BiasGelu", "EmbedLayerNormalization"}


def operators(model: bytes) -> set[str]:
    return {node.op_type for node in onnx.load_model_from_string(model).graph.node}


@pytest.fixture(scope="module")
def fused(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    assert os.environ.get("HF_HUB_OFFLINE") == "1"  # tests/conftest.py: nothing may come from a hub
    return OnnxModelCache(bundled_model_dir(), tmp_path_factory.mktemp("models")).load("fp32")


def test_the_cached_fp32_model_is_the_fused_graph(fused: bytes) -> None:
    assert FUSED_KERNELS <= operators(fused)
    assert "Softmax" not in operators(fused)  # attention is one kernel, not MatMul/Softmax/MatMul


def test_a_failing_optimizer_leaves_the_plain_graph_with_a_warning_and_the_same_vectors(
    fused: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_optimizer(source: Path, target: Path, *, heads: int, hidden: int) -> None:
        raise ValueError("no fusion pattern matched")

    monkeypatch.setattr(onnx_export, "_fuse", broken_optimizer)
    with caplog.at_level(logging.WARNING, logger=onnx_export.__name__):
        plain = onnx_export.export_sentence_encoder(bundled_model_dir(), tmp_path, "fp32").read_bytes()
    assert "optimizer failed" in caplog.text and "no fusion pattern matched" in caplog.text
    assert [path.name for path in tmp_path.iterdir()] == [onnx_export.FILE_NAME]
    assert not FUSED_KERNELS & operators(plain)
    assert {"Softmax", "LayerNormalization"} <= operators(plain)
    vectors = {
        name: OnnxSentenceEncoder(model, bundled_model_dir(), threads=1).encode(PASSAGES, 8)
        for name, model in (("plain", plain), ("fused", fused))
    }
    assert np.abs(vectors["fused"] - vectors["plain"]).max() < 1e-5
    assert np.sum(vectors["fused"] * vectors["plain"], axis=1).min() > 0.99999


def test_the_childs_warnings_are_logged_here_and_its_chatter_is_not(caplog: pytest.LogCaptureFixture) -> None:
    output = f"Loading weights: 100%\n{onnx_export.WARNING_PREFIX}the optimizer failed (ValueError: x)\nnoise\n"
    with caplog.at_level(logging.INFO, logger=onnx_export.__name__):
        onnx_export.relay_warnings(output)
    assert [(record.levelno, record.getMessage()) for record in caplog.records] == [
        (logging.WARNING, "the optimizer failed (ValueError: x)")
    ]
