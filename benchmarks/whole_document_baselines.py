"""Whole-document baselines for a BEIR-layout set, to hold ``ragchat eval retrieval`` against:
``python -m benchmarks.whole_document_baselines [DATASET_DIR ...] [--backend onnx] [--cache DIR] [--half dev|test]
[--json]`` (``--half``: only that half of the queries, as ``ragchat eval retrieval --half``).

Each corpus document is scored whole (its title, a blank line and its text, as the eval ingests it):

- **BM25**: standard Okapi BM25 (k1 = 1.2, b = 0.75, idf = ln(1 + (N - df + 0.5) / (df + 0.5))) over lower-cased
  ``\\w+`` tokens, no stemming and no stop words; every occurrence of a query term counts (as Lucene does);
  only documents sharing a term with the query are ranked;
- **MiniLM**: the bundled all-MiniLM-L6-v2 through the product's document engine (``--backend``: ONNX fp32 by
  default, as the product's default), cosine similarity; the model reads only the first 256 word pieces of a
  document (the share of documents cut there is printed);
- **RRF**: reciprocal rank fusion of the two (k = 60) over each one's top 1,000.

nDCG@10, recall@10, recall@100 and MRR@10 come from ``application.evaluation.metrics`` (what the eval uses).
Prints figures and the load average; asserts nothing. ``--per-query FILE`` writes each query's rank of its
first relevant document per method (JSON lines), for comparing query by query with another run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
from collections import Counter
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from application.evaluation.beir import Dataset, load_dataset
from application.evaluation.halves import HALVES, only_half
from application.evaluation.metrics import evaluate

DATA = Path(__file__).resolve().parent / "data"
K1, B, RRF_K, DEPTH = 1.2, 0.75, 60, 1000
_WORD = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class Bm25:
    """Okapi BM25 over a fixed corpus, postings in NumPy arrays."""

    def __init__(self, documents: list[list[str]], k1: float = K1, b: float = B) -> None:
        lengths = np.array([len(document) for document in documents], dtype=np.float64)
        norm = k1 * (1 - b + b * lengths / max(lengths.mean(), 1e-9))
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for number, document in enumerate(documents):
            for term, count in Counter(document).items():
                docs, counts = postings.setdefault(term, ([], []))
                docs.append(number)
                counts.append(count)
        self.size = len(documents)
        self._terms: dict[str, tuple[NDArray[np.int64], NDArray[np.float64]]] = {}
        for term, (docs, counts) in postings.items():
            index = np.array(docs, dtype=np.int64)
            tf = np.array(counts, dtype=np.float64)
            idf = math.log(1 + (self.size - len(docs) + 0.5) / (len(docs) + 0.5))
            self._terms[term] = (index, idf * tf * (k1 + 1) / (tf + norm[index]))

    def scores(self, query: list[str]) -> NDArray[np.float64]:
        scores = np.zeros(self.size)
        for term in query:
            if term in self._terms:
                index, weight = self._terms[term]
                scores[index] += weight
        return scores


def bm25_rankings(bodies: list[str], queries: list[str]) -> list[list[int]]:
    index = Bm25([tokens(body) for body in bodies])
    rankings = []
    for query in queries:
        scores = index.scores(tokens(query))
        order = np.argsort(-scores, kind="stable")[:DEPTH]
        rankings.append([int(i) for i in order if scores[i] > 0])
    return rankings


def minilm_rankings(bodies: list[str], queries: list[str], backend: str, cache: Path) -> tuple[list[list[int]], float]:
    """Rankings by cosine, and the share of documents longer than the model's window."""
    from tokenizers import Tokenizer

    from adapters.embedding.document_encoders import open_document_encoder
    from adapters.embedding.local_sentence_embedder import bundled_model_dir
    from adapters.embedding.onnx_sentence_encoder import max_tokens

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    model_dir = bundled_model_dir()
    counter = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    counter.no_truncation()
    window = max_tokens(model_dir)
    truncated = sum(len(e.ids) > window for e in counter.encode_batch(bodies)) / max(len(bodies), 1)
    encoder = open_document_encoder(model_dir, backend, cache / "models")  # type: ignore[arg-type]
    digest = hashlib.sha256("\0".join(bodies).encode()).hexdigest()[:16]
    stored = cache / f"whole-documents-{backend}-{len(bodies)}-{digest}.npy"
    if stored.exists():
        documents = np.load(stored)
    else:
        documents = encoder.encode(bodies, 32)
        cache.mkdir(parents=True, exist_ok=True)
        np.save(stored, documents)
    similarity = encoder.encode(queries, 32) @ documents.T
    order = np.argsort(-similarity, axis=1, kind="stable")[:, :DEPTH]
    return [[int(i) for i in row] for row in order], truncated


def rrf(*rankings: list[int]) -> list[int]:
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, doc in enumerate(ranking, start=1):
            fused[doc] = fused.get(doc, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(fused, key=lambda doc: (-fused[doc], doc))


def measure(dataset: Dataset, backend: str, cache: Path) -> tuple[dict[str, dict[str, float]], dict[str, object]]:
    ids = [document.id for document in dataset.corpus]
    bodies = [document.body for document in dataset.corpus]
    questions = [query.text for query in dataset.queries]
    lexical = bm25_rankings(bodies, questions)
    dense, truncated = minilm_rankings(bodies, questions, backend, cache)
    methods = {
        "bm25": lexical,
        "minilm": dense,
        "rrf": [rrf(a, b) for a, b in zip(lexical, dense, strict=True)],
    }
    figures: dict[str, dict[str, float]] = {}
    ranks: dict[str, dict[str, int | None]] = {query.id: {} for query in dataset.queries}
    for method, rankings in methods.items():
        runs = {q.id: [ids[i] for i in ranking[:100]] for q, ranking in zip(dataset.queries, rankings, strict=True)}
        scores = evaluate(runs, dataset.qrels)
        figures[method] = {name: round(value, 4) for name, value in scores.items()}
        for query in dataset.queries:
            relevant = [rank for rank, doc in enumerate(runs[query.id], start=1) if dataset.qrels[query.id].get(doc)]
            ranks[query.id][method] = relevant[0] if relevant else None
    return figures, {"minilm_truncated_share": round(truncated, 4), "queries": ranks}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("datasets", nargs="*", type=Path, default=[DATA / "mandocs", DATA / "pkgdocs"])
    parser.add_argument("--backend", default="onnx", choices=("onnx", "onnx-int8", "torch"))
    parser.add_argument("--cache", type=Path, default=Path("/var/tmp/ragchat-baselines"))
    parser.add_argument("--per-query", type=Path, help="write each query's rank of its relevant document here")
    parser.add_argument("--half", choices=HALVES, help="only this half of the queries")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    everything: dict[str, object] = {}
    for directory in args.datasets:
        dataset = load_dataset(directory)
        if args.half is not None:
            dataset = only_half(dataset, args.half)
        figures, per_query = measure(dataset, args.backend, args.cache)
        load = "/".join(f"{value:.1f}" for value in os.getloadavg())
        everything[directory.name] = figures
        if args.per_query is not None:
            with args.per_query.open("a") as handle:
                handle.write(json.dumps({"dataset": directory.name, **per_query}) + "\n")
        if not args.json:
            print(f"{directory.name}: {len(dataset.corpus)} documents, {len(dataset.queries)} queries; "
                  f"MiniLM reads 256 word pieces, {per_query['minilm_truncated_share']:.0%} of documents are longer; "
                  f"load {load}")  # fmt: skip
            print(f"  {'method':<8} {'nDCG@10':>8} {'R@10':>7} {'R@100':>7} {'MRR@10':>7}")
            for method, scores in figures.items():
                print(f"  {method:<8} {scores['ndcg@10']:>8.4f} {scores['recall@10']:>7.4f} "
                      f"{scores['recall@100']:>7.4f} {scores['mrr@10']:>7.4f}")  # fmt: skip
    if args.json:
        print(json.dumps(everything))


if __name__ == "__main__":
    main()
