"""all-MiniLM-L6-v2's forward pass in NumPy, for embedding one query without importing torch.

Importing torch and sentence-transformers takes 5-10 s on this project's machines, which ``ragchat search``
(and a server's first question) would pay to embed a dozen tokens. This is the same BERT encoder, mean
pooling and L2 normalisation, computed from the same ``model.safetensors`` and ``tokenizer.json``: the
vectors agree with sentence-transformers' to about 1e-7 (``tests/unit/embedding/test_numpy_bert.py``).
Document batches still go through sentence-transformers, which is faster for hundreds of passages.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray
from safetensors import safe_open
from tokenizers import Tokenizer

WORDS = "embeddings.word_embeddings.weight"


ERFC_COEFFICIENTS = (
    -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806,
    0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277,
)  # fmt: skip
"""Numerical Recipes' Chebyshev fit of erfc (fractional error below 1.2e-7 everywhere)."""

Array = NDArray[np.float32]


def erf(x: Array) -> Array:
    """The error function, which NumPy lacks, for BERT's exact GELU."""
    z = np.abs(x).astype(np.float64)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = np.zeros_like(z)
    for coefficient in reversed(ERFC_COEFFICIENTS):
        poly = coefficient + t * poly
    return np.asarray(np.sign(x) * (1.0 - t * np.exp(poly - z * z)), dtype=np.float32)


class NumpyBertEncoder:
    """A sentence-transformers BERT folder (Transformer → mean pooling → normalize) run with NumPy.

    The word-embedding matrix (most of the file) is not loaded: the rows a text needs are read on demand."""

    def __init__(self, model_dir: Path) -> None:
        config = json.loads((model_dir / "config.json").read_text())
        self._layers = int(config["num_hidden_layers"])
        self._heads = int(config["num_attention_heads"])
        self._eps = float(config.get("layer_norm_eps", 1e-12))
        st_config = model_dir / "sentence_bert_config.json"
        max_len = json.loads(st_config.read_text()).get("max_seq_length", 256) if st_config.is_file() else 256
        self._file = cast(Any, safe_open(str(model_dir / "model.safetensors"), framework="np"))
        self._w: dict[str, Array] = {key: self._file.get_tensor(key) for key in self._file.keys() if key != WORDS}
        self._words: Any = self._file.get_slice(WORDS)
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(int(max_len))

    def encode(self, text: str) -> list[float]:
        ids = self._tokenizer.encode(text).ids
        n = len(ids)
        w = self._w
        x = np.stack([self._words[i : i + 1][0] for i in ids])
        x = x + w["embeddings.position_embeddings.weight"][:n] + w["embeddings.token_type_embeddings.weight"][0]
        x = self._norm(x, "embeddings.LayerNorm")
        heads, size = self._heads, x.shape[1] // self._heads
        for layer in range(self._layers):
            p = f"encoder.layer.{layer}."
            q, k, v = (
                self._linear(x, f"{p}attention.self.{name}").reshape(n, heads, size).transpose(1, 0, 2)
                for name in ("query", "key", "value")
            )
            scores = q @ k.transpose(0, 2, 1) / math.sqrt(size)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, heads * size)
            x = self._norm(x + self._linear(context, f"{p}attention.output.dense"), f"{p}attention.output.LayerNorm")
            hidden = self._linear(x, f"{p}intermediate.dense")
            hidden = 0.5 * hidden * (1.0 + erf(hidden / math.sqrt(2.0)))  # exact GELU, as BERT's "gelu"
            x = self._norm(x + self._linear(hidden, f"{p}output.dense"), f"{p}output.LayerNorm")
        pooled = x.mean(axis=0)
        return [float(value) for value in pooled / max(float(np.linalg.norm(pooled)), 1e-12)]

    def _linear(self, x: Array, name: str) -> Array:
        return np.asarray(x @ self._w[f"{name}.weight"].T + self._w[f"{name}.bias"], dtype=np.float32)

    def _norm(self, x: Array, name: str) -> Array:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        normed = (x - mean) / np.sqrt(var + self._eps) * self._w[f"{name}.weight"] + self._w[f"{name}.bias"]
        return np.asarray(normed, dtype=np.float32)
