"""Turns the bundled sentence-transformers folder into one ONNX graph, offline, from its local weights.

The graph is the whole sentence embedding: BERT encoder → mean pooling over real tokens → L2 normalisation, so
ONNX Runtime returns the vectors sentence-transformers would (cosine ≥ 0.999999 on real passages, measured by
``benchmarks/onnx_embedder.py``). ONNX Runtime's transformer optimizer then fuses attention, GELU and the layer
norms into its own kernels (same vectors: max abs difference 2e-7 over the ingest benchmark's 575 chunks). In
fp32 that buys no speed on CPU, since ONNX Runtime fuses the plain graph's GELU and MatMuls itself when it
opens it, and matrix multiplications take 84-86% of the plain graph's time (``benchmarks/onnx_fusion.py``);
``int8`` quantizes the fused graph's weights per channel (dynamic quantization: activations stay float), its
attention becoming ``QAttention``. If the optimizer fails on a graph (its pattern matching follows
exporter versions), the plain graph is kept and a warning logged, rather than giving up ONNX for torch.

Torch and transformers are needed here only: the exported file runs with onnxruntime and tokenizers alone. The
export runs once per model and variant (``OnnxModelCache``), in a child process: the server never imports torch
(hundreds of MB it would keep), and the optimizer's and quantizer's chatter stays out of its log.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any, Literal, get_args

Variant = Literal["fp32", "int8"]
FILE_NAME = "model.onnx"
WARNING_PREFIX = "ragchat-export-warning: "
"""Marks the child's own warnings on its stdout, for the parent to log."""
log = logging.getLogger(__name__)


def export_in_child_process(model_dir: Path, out_dir: Path, variant: Variant) -> Path:
    """``export_sentence_encoder`` in a fresh interpreter; raises ``RuntimeError`` with the tail of its output."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    command = [sys.executable, "-m", __name__, str(model_dir), str(out_dir), variant]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"exporting the model to ONNX failed ({done.returncode}): {done.stderr[-2000:]}")
    relay_warnings(done.stdout)
    return out_dir / FILE_NAME


def relay_warnings(child_stdout: str) -> None:
    """Logs here the warnings the child wrote (``WARNING_PREFIX`` lines); the rest of its output is chatter."""
    for line in child_stdout.splitlines():
        if line.startswith(WARNING_PREFIX):
            log.warning("%s", line.removeprefix(WARNING_PREFIX))


def export_sentence_encoder(model_dir: Path, out_dir: Path, variant: Variant, *, fuse: bool = True) -> Path:
    """Writes ``out_dir/model.onnx`` (the ``variant`` asked for) and returns its path. ``fuse=False``: without
    the optimizer's fusions (to compare, ``benchmarks/onnx_fusion.py``)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    import torch
    from transformers import AutoConfig, AutoModel

    config = AutoConfig.from_pretrained(str(model_dir), local_files_only=True)
    # Eager attention: a plain graph of MatMul/Softmax that the optimizer recognises and fuses.
    bert = AutoModel.from_pretrained(str(model_dir), local_files_only=True, attn_implementation="eager").eval()
    traced = out_dir / "traced.onnx"
    ids = torch.ones((2, 16), dtype=torch.int64)
    mask = torch.ones((2, 16), dtype=torch.int64)
    mask[1, 9:] = 0  # a padded row, so the trace keeps the masking path
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _sentence_encoder_class()(bert), (ids, mask), str(traced), dynamo=False, opset_version=17,
            input_names=["input_ids", "attention_mask"], output_names=["embedding"],
            dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                          "embedding": {0: "batch"}},
        )  # fmt: skip
    target = out_dir / FILE_NAME
    graph = out_dir / "fused.onnx"  # the graph to quantize or keep
    if fuse and _fused(traced, graph, heads=int(config.num_attention_heads), hidden=int(config.hidden_size)):
        traced.unlink()
    else:
        graph = traced
    if variant == "int8":
        _quantize(graph, target)
        graph.unlink()
    else:
        graph.replace(target)
    return target


def _fused(source: Path, target: Path, *, heads: int, hidden: int) -> bool:
    """Writes ONNX Runtime's fused graph of ``source`` to ``target``; ``False`` (logged) when the optimizer
    fails: its pattern matching follows exporter versions, and the plain graph gives the same vectors."""
    try:
        _fuse(source, target, heads=heads, hidden=hidden)
    except Exception as exc:
        log.warning("ONNX Runtime's optimizer failed on the exported graph (%s: %s); the model is made from "
                    "the plain graph (the same vectors; ONNX Runtime fuses part of it when it opens it)",
                    type(exc).__name__, exc)  # fmt: skip
        target.unlink(missing_ok=True)
        return False
    return True


def _fuse(source: Path, target: Path, *, heads: int, hidden: int) -> None:
    from onnxruntime.transformers.optimizer import optimize_model

    optimized: Any = optimize_model(str(source), model_type="bert", num_heads=heads, hidden_size=hidden)
    optimized.save_model_to_file(str(target))


def _quantize(source: Path, target: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Per channel: one scale per output column. Per tensor, the vectors drifted to cosine 0.88 (min) from fp32.
    quantize_dynamic(
        str(source), str(target), weight_type=QuantType.QInt8, per_channel=True,
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},  # the fused ops' outputs have no inferred type
    )  # fmt: skip


def _sentence_encoder_class() -> type[Any]:
    import torch

    class SentenceEncoder(torch.nn.Module):  # type: ignore[misc]  # torch is not analysed (pyproject: follow_imports)
        """BERT's last hidden state, mean-pooled over the attention mask, L2-normalised (sentence-transformers'
        Transformer → Pooling(mean) → Normalize)."""

        def __init__(self, bert: Any) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=torch.zeros_like(input_ids)
            ).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

    return SentenceEncoder


if __name__ == "__main__":
    logging.basicConfig(level=logging.ERROR)
    relayed = logging.StreamHandler(sys.stdout)
    relayed.setFormatter(logging.Formatter(WARNING_PREFIX + "%(message)s"))
    log.addHandler(relayed)
    log.setLevel(logging.WARNING)
    log.propagate = False
    source, target, kind = sys.argv[1:4]
    if kind not in get_args(Variant):
        sys.exit(f"unknown variant {kind!r}")
    export_sentence_encoder(Path(source), Path(target), kind)  # type: ignore[arg-type]
