"""What ONNX Runtime's offline fusion and the batches' order are worth to document embedding:
``python -m benchmarks.onnx_fusion [--files 20] [--rounds 3]``.

On the chunks ``ragchat ingest`` makes of the ingest benchmark's corpus (``benchmarks/ingest_vs_langchain.py``:
package descriptions, Markdown), in one process:

- graphs: fp32 as exported (``plain``: ONNX Runtime applies its own optimizations when it opens it), fp32 through
  ``onnxruntime.transformers.optimizer`` (``fused``, the product's fp32) and its int8 quantization; the
  operators of each, and each one's agreement with ``plain`` (max abs difference, cosine min and mean);
- throughput: the chunks in the pipeline's shape (256 at a time in length order, 8 per call to the encoder,
  the product's threads), each graph in turn, rounds interleaved, medians, with chunks per CPU-second of this
  process (steadier than per second when others share the cores) and the load average;
- order: the product's graph with the 256 ordered by characters (before) and by tokens (now).

Prints figures; asserts nothing. On a shared machine compare ratios within one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np


def product_chunks(files: int) -> list[tuple[str, int]]:
    """``(embedding input, tokens)`` of every chunk the product cuts the corpus into."""
    from adapters.embedding.hf_tokenizer import HuggingFaceTokenizer
    from adapters.embedding.local_sentence_embedder import bundled_model_dir
    from adapters.parsing.markdown_parser import parse_markdown
    from application.ingestion.chunker import chunk_document
    from application.ingestion.policy import IndexingPolicy
    from benchmarks.ingest_vs_langchain import write_corpus

    corpus = write_corpus(Path(tempfile.gettempdir()) / "ragchat-ingest-bench" / f"corpus-{files}", files)
    tokenizer = HuggingFaceTokenizer(bundled_model_dir() / "tokenizer.json")
    found = []
    for path in sorted(corpus.glob("*.md"))[:files]:
        for draft in chunk_document(parse_markdown(path.read_bytes(), 10_000_000), tokenizer, IndexingPolicy()):
            found.append((draft.embedding_input, draft.tokens))
    return found


def pipeline(encode: Callable[[list[str], int], object], chunks: list[tuple[str, int]], by: int) -> None:
    """``by``: 0 orders each 256 by characters, 1 by tokens."""
    for start in range(0, len(chunks), 256):
        batch = sorted(chunks[start : start + 256], key=lambda chunk: len(chunk[0]) if by == 0 else chunk[1])
        for offset in range(0, len(batch), 8):
            encode([text for text, _ in batch[offset : offset + 8]], 8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import onnx

    from adapters.embedding.local_sentence_embedder import bundled_model_dir
    from adapters.embedding.onnx_export import export_in_child_process, export_sentence_encoder
    from adapters.embedding.onnx_sentence_encoder import OnnxSentenceEncoder

    model_dir = bundled_model_dir()
    chunks = product_chunks(args.files)
    print(f"{len(chunks)} chunks, tokens median {statistics.median(t for _, t in chunks):.0f}, "
          f"load {os.getloadavg()[0]:.1f}")  # fmt: skip
    graphs: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="onnx-fusion-") as root:
        for name in ("plain", "fused", "int8"):
            out = Path(root) / name
            out.mkdir()
            if name == "plain":
                made = export_sentence_encoder(model_dir, out, "fp32", fuse=False)
            else:
                made = export_in_child_process(model_dir, out, "int8" if name == "int8" else "fp32")
            graphs[name] = made.read_bytes()
    engines = {name: OnnxSentenceEncoder(model, model_dir) for name, model in graphs.items()}
    texts = [text for text, _ in chunks]
    reference = engines["plain"].encode(texts, 8)
    for name, model in graphs.items():
        counts = Counter(node.op_type for node in onnx.load_model_from_string(model).graph.node)
        vectors = engines[name].encode(texts, 8)
        cosines = np.sum(vectors * reference, axis=1)
        print(f"{name}: {sum(counts.values())} operators ({', '.join(f'{k} {v}' for k, v in counts.most_common(6))}); "
              f"vs plain: max abs diff {np.abs(vectors - reference).max():.1e}, cosine min {cosines.min():.7f} "
              f"mean {cosines.mean():.7f}")  # fmt: skip

    contenders = {f"{name}, by tokens": (engine, 1) for name, engine in engines.items()}
    contenders["fused, by characters"] = (engines["fused"], 0)
    rates: dict[str, list[float]] = {name: [] for name in contenders}
    per_cpu: dict[str, list[float]] = {name: [] for name in contenders}
    for number in range(args.rounds):
        line = []
        for name, (engine, by) in contenders.items():
            cpu, wall = time.process_time(), time.perf_counter()
            pipeline(engine.encode, chunks, by)
            rates[name].append(len(chunks) / (time.perf_counter() - wall))
            per_cpu[name].append(len(chunks) / (time.process_time() - cpu))
            line.append(f"{name} {rates[name][-1]:.1f} ({per_cpu[name][-1]:.1f}/cpu-s)")
        print(f"round {number + 1}: " + ", ".join(line) + f" chunks/s (load {os.getloadavg()[0]:.1f})")
    for label, figures in (("chunks/s", rates), ("chunks per CPU-second", per_cpu)):
        medians = {name: statistics.median(values) for name, values in figures.items()}
        base = medians["fused, by tokens"]
        print(f"medians, {label}: " + ", ".join(f"{n} {v:.1f} ({v / base:.2f}x)" for n, v in medians.items()))


if __name__ == "__main__":
    main()
