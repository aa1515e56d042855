"""The local model's document engines side by side: ``python -m benchmarks.onnx_embedder [--passages N] ...``.

In one process, on real prose (``benchmarks/data/pkgdocs`` cut into 200-token passages, as the chunker makes
them, truncated at the model's 256-token window):

- export: the ONNX export of each variant into a fresh cache (child process; torch import included);
- load: torch (sentence-transformers) vs each ONNX variant from that cache (hash check + session);
- throughput: passages/s of torch, ONNX fp32 and ONNX int8 per batch size (fp32 also with one run at a
  time and with ONNX Runtime's default threads instead of the product's one thread per run) (``embed_slice_size`` is the
  product's default call size, 8), rounds interleaved, medians, with the load average beside each round; and
  passages per CPU-second of this process (all its threads), the steadier figure when other work shares the
  cores;
- agreement: cosine of each ONNX variant's vectors with torch's over ``--passages`` passages (min, mean);
- query: one short question through NumPy (today's query path) and through the ONNX fp32 session.

Prints figures; asserts nothing. On a shared machine compare ratios within one run, not absolute figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

CORPUS = Path(__file__).parent / "data" / "pkgdocs" / "corpus.jsonl"
QUESTION = "How do I run database migrations with alembic?"


def passages(model_dir: Path, count: int, tokens: int = 200) -> list[str]:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    found: list[str] = []
    for line in CORPUS.read_text().splitlines():
        record = json.loads(line)
        text = f"{record['title']}\n{record['text']}"
        offsets = tokenizer.encode(text, add_special_tokens=False).offsets
        for start in range(0, len(offsets), tokens):
            window = offsets[start : start + tokens]
            found.append(text[window[0][0] : window[-1][1]])
            if len(found) == count:
                return found
    return found


def load_avg() -> str:
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, default=500, help="passages for the agreement figures")
    parser.add_argument("--throughput-passages", type=int, default=160, help="passages per throughput round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-sizes", default="8,32")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from adapters.embedding.document_encoders import DocumentEncoder, TorchSentenceEncoder
    from adapters.embedding.local_sentence_embedder import bundled_model_dir
    from adapters.embedding.numpy_bert import NumpyBertEncoder
    from adapters.embedding.onnx_model_cache import OnnxModelCache
    from adapters.embedding.onnx_sentence_encoder import OnnxSentenceEncoder

    model_dir = bundled_model_dir()
    texts = passages(model_dir, max(args.passages, args.throughput_passages))
    print(f"{len(texts)} passages from {CORPUS.name}; load average {load_avg()}")
    engines: dict[str, DocumentEncoder] = {}
    with tempfile.TemporaryDirectory(prefix="onnx-bench-") as root:
        for variant in ("fp32", "int8"):
            seconds, _ = timed(lambda variant=variant: OnnxModelCache(model_dir, Path(root)).load(variant))  # type: ignore[misc]
            print(f"export {variant}: {seconds:.1f} s  (load {load_avg()})")
        seconds, engines["torch"] = timed(lambda: TorchSentenceEncoder(model_dir))
        print(f"load torch (import + model): {seconds:.2f} s")
        for variant in ("fp32", "int8"):
            cache = OnnxModelCache(model_dir, Path(root))
            seconds, engines[f"onnx {variant}"] = timed(
                lambda cache=cache, variant=variant: OnnxSentenceEncoder(cache.load(variant), model_dir)  # type: ignore[misc]
            )
            print(f"load onnx {variant} from the cache: {seconds:.2f} s")
        fp32 = OnnxModelCache(model_dir, Path(root)).load("fp32")
        # The product's threading (one thread per run, a batch shared among one run per core) against one run
        # at a time and against ONNX Runtime's own thread pool (its defaults).
        engines["onnx fp32, 1 run"] = OnnxSentenceEncoder(fp32, model_dir, threads=1)
        engines["onnx fp32, ORT threads"] = OnnxSentenceEncoder(fp32, model_dir, threads=0)

    sample = texts[: args.throughput_passages]
    for size in [int(value) for value in args.batch_sizes.split(",")]:
        rates: dict[str, list[float]] = {name: [] for name in engines}
        per_cpu: dict[str, list[float]] = {name: [] for name in engines}
        for round_number in range(args.rounds):
            line = []
            for name, engine in engines.items():
                cpu = time.process_time()
                seconds, _ = timed(lambda engine=engine, size=size: engine.encode(sample, size))  # type: ignore[misc]
                rates[name].append(len(sample) / seconds)
                per_cpu[name].append(len(sample) / (time.process_time() - cpu))
                line.append(f"{name} {rates[name][-1]:.1f} ({per_cpu[name][-1]:.1f}/cpu-s)")
            print(f"batch {size} round {round_number + 1}: " + ", ".join(line) + f" passages/s  (load {load_avg()})")
        for label, figures in (("passages/s", rates), ("passages per CPU-second", per_cpu)):
            medians = {name: statistics.median(values) for name, values in figures.items()}
            print(f"batch {size} medians, {label}: " + ", ".join(
                f"{name} {value:.1f} ({value / medians['torch']:.2f}x torch)" for name, value in medians.items()
            ))  # fmt: skip

    agreement = texts[: args.passages]
    reference = engines["torch"].encode(agreement, 32)
    for name in ("onnx fp32", "onnx int8"):
        cosines = np.sum(engines[name].encode(agreement, 32) * reference, axis=1)
        print(f"agreement {name} vs torch over {len(agreement)} passages: "
              f"cosine min {cosines.min():.7f}, mean {cosines.mean():.7f}")  # fmt: skip

    seconds, numpy_encoder = timed(lambda: NumpyBertEncoder(model_dir))
    print(f"query: NumPy encoder opens in {seconds * 1000:.0f} ms")
    onnx = engines["onnx fp32"]
    for name, run in (
        ("numpy", lambda: numpy_encoder.encode(QUESTION)),
        ("onnx fp32", lambda: onnx.encode([QUESTION], 1)),
    ):
        run()
        samples = [timed(run)[0] * 1000 for _ in range(30)]
        print(f"query via {name}: median {statistics.median(samples):.1f} ms, p90 "
              f"{statistics.quantiles(samples, n=10)[-1]:.1f} ms  (load {load_avg()})")  # fmt: skip


if __name__ == "__main__":
    main()
