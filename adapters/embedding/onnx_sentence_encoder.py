"""Document batches through ONNX Runtime: the exported sentence encoder (``onnx_export``) and the model's own
``tokenizer.json``, without torch. On this project's 2-core machines it embeds about 1.7 times as many passages
per second and per CPU-second as sentence-transformers on torch at the product's 8 per call, with the same
vectors (``benchmarks/onnx_embedder.py``).

Threads: each ``session.run`` computes on its calling thread alone (``intra_op_num_threads = 1``, no spinning),
and a batch is shared among ``threads`` such runs at once, each embedding part of it. ONNX Runtime's default
instead splits every operator across its own pool of threads, which spin between operators: measured on this
project's 2 shared cores (``benchmarks/onnx_embedder.py``, load 11-12, 8 texts a call), the default embedded
13.2 passages per CPU-second against 18.1 this way, and 6.5 against 7.7 per second of wall-clock, as its
spinning threads compete with the work they wait for (parsing, the database, the other run).
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from tokenizers import Encoding, Tokenizer


def max_tokens(model_dir: Path) -> int:
    """sentence-transformers' truncation for this folder (``max_seq_length``; 256 for all-MiniLM-L6-v2)."""
    st_config = model_dir / "sentence_bert_config.json"
    return int(json.loads(st_config.read_text()).get("max_seq_length", 256)) if st_config.is_file() else 256


def usable_cores() -> int:
    """The cores this process may run on (its affinity, e.g. a container's cpuset), at least 1."""
    affinity = getattr(os, "sched_getaffinity", None)
    return max(1, len(affinity(0)) if affinity is not None else (os.cpu_count() or 1))


class OnnxSentenceEncoder:
    """Texts → L2-normalised vectors. Within one call texts are sorted by length and padded per batch to the
    longest in it (as sentence-transformers does), so a batch of short chunks does not pay for a long one;
    a batch of several texts is split among ``threads`` runs at once (by default one per usable core; 0 leaves
    the threading to ONNX Runtime's defaults, for comparison)."""

    def __init__(self, model: bytes, model_dir: Path, threads: int | None = None) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # its warnings about unused initializers are noise here
        if threads != 0:
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session: Any = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_tokens(model_dir))
        self.dimension = int(json.loads((model_dir / "config.json").read_text())["hidden_size"])
        self.threads = max(1, threads if threads is not None else usable_cores())
        self._runs = ThreadPoolExecutor(self.threads - 1, "onnx-run") if self.threads > 1 else None

    def encode(self, texts: list[str], batch_size: int) -> NDArray[np.float32]:
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), max(1, batch_size)):
            batch = order[start : start + max(1, batch_size)]
            # Interleaved, so each part holds texts of about the same lengths.
            parts = [batch[offset :: self.threads] for offset in range(min(self.threads, len(batch)))]
            pending = [self._runs.submit(self._run, encodings, part) for part in parts[1:]] if self._runs else []
            vectors[parts[0]] = self._run(encodings, parts[0])  # on the calling thread
            for part, run in zip(parts[1:], pending, strict=True):
                vectors[part] = run.result()
        return vectors

    def _run(self, encodings: list[Encoding], rows: list[int]) -> NDArray[np.float32]:
        width = max(len(encodings[i].ids) for i in rows)
        ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for row, i in enumerate(rows):
            tokens = encodings[i].ids
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1
        return self._session.run(["embedding"], {"input_ids": ids, "attention_mask": mask})[0]  # type: ignore[no-any-return]

    def close(self) -> None:
        if self._runs is not None:
            self._runs.shutdown(wait=False, cancel_futures=True)
