"""`ragchat eval retrieval DATASET_DIR [--json]`: retrieval quality on a BEIR-layout dataset.

The corpus is ingested for a throwaway account through the real pipeline (upload → parse → chunk → embed →
index), each query is searched in vector, keyword and hybrid mode, passages are folded into documents at their
best rank, and nDCG@10, recall@10, recall@100 and MRR@10 are averaged over the judged queries. A dataset with
``followups.jsonl`` also gets the follow-up questions' figures, searched with the query a chat turn would use.
Without DATABASE_URL the embedded database lives in a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from application.commands import DeleteDocument, RegisterUser, SearchPassages
from application.evaluation.beir import Dataset, DatasetError, FollowUp, load_dataset
from application.evaluation.metrics import evaluate, unique_in_order
from application.ports.embedder import Embedder
from application.use_cases.documents.search_passages import MAX_K
from domain.documents import DocumentStatus, Passage
from domain.errors import DomainError
from entrypoints.cli.ingest import cli_container, dispatch, upload_and_index
from entrypoints.logging_setup import configure_logging
from entrypoints.settings import Settings, load_settings

MODES = ("vector", "keyword", "hybrid")
DOCUMENTS_PER_QUERY = 100
TOP_PASSAGES = 20  # enough for 10 documents when some have two chunks


async def run_eval(settings: Settings, dataset: Dataset, progress: Any = None) -> dict[str, Any]:
    container = cli_container(settings)
    try:
        password = secrets.token_urlsafe(24)
        user = await dispatch(
            container, RegisterUser(email=f"eval-{uuid.uuid4().hex[:12]}@example.invalid", password=password)
        )
        owner_id = user.id  # type: ignore[attr-defined]
        corpus_id: dict[uuid.UUID, str] = {}
        chunks = ready = 0
        async with container() as request:  # load the model now, so throughput measures indexing only
            await (await request.get(Embedder)).embed_query("warm-up")
        started = time.perf_counter()
        for number, item in enumerate(dataset.corpus, start=1):
            try:
                filename = f"{item.id.replace('/', '_')}.txt"
                document = await upload_and_index(container, owner_id, filename, item.body.encode())
            except DomainError:
                continue  # an empty corpus entry is refused at upload; it simply cannot be found
            if document.status is DocumentStatus.READY:
                corpus_id[document.id] = item.id
                ready += 1
                chunks += document.chunks_total
            if progress is not None and (number % 100 == 0 or number == len(dataset.corpus)):
                print(f"ingested {number}/{len(dataset.corpus)}", file=progress, flush=True)
        seconds = time.perf_counter() - started
        search = _Searcher(container, owner_id, corpus_id)
        results: dict[str, Any] = {}
        for mode in MODES:
            # The @10 metrics come from a search as deep as an answer's (so fusion sees the candidate pools it
            # sees in a chat); recall@100 from a deep one.
            top: dict[str, list[str]] = {}
            deep: dict[str, list[str]] = {}
            for query in dataset.queries:
                top[query.id] = await search(query.text, TOP_PASSAGES, mode)
                deep[query.id] = await search(query.text, MAX_K, mode)
            scores = evaluate(top, dataset.qrels)
            scores["recall@100"] = evaluate(deep, dataset.qrels)["recall@100"]
            results[mode] = {name: round(scores[name], 4) for name in ("ndcg@10", "recall@10", "recall@100", "mrr@10")}
        if dataset.followups:
            results["followup"] = {}
            for mode in MODES:
                runs = {f.id: await search(followup_query(f), TOP_PASSAGES, mode) for f in dataset.followups}
                scores = evaluate(runs, dataset.followup_qrels)
                results["followup"][mode] = {name: round(scores[name], 4) for name in ("ndcg@10", "recall@10")}
        results["ingest"] = {"documents": ready, "chunks": chunks, "seconds": round(seconds, 2)}
        if not settings.embedded:
            for document_id in corpus_id:
                await dispatch(container, DeleteDocument(owner_id=owner_id, document_id=document_id))
        return results
    finally:
        await container.close()


def followup_query(followup: FollowUp) -> str:
    """What a chat turn searches for this follow-up: the question alone (history is not used yet)."""
    return followup.text


class _Searcher:
    """One search through the bus, folded into corpus document ids."""

    def __init__(self, container: Any, owner_id: uuid.UUID, corpus_id: dict[uuid.UUID, str]) -> None:
        self._container = container
        self._owner_id = owner_id
        self._corpus_id = corpus_id

    async def __call__(self, text: str, k: int, mode: str) -> list[str]:
        passages = await dispatch(
            self._container, SearchPassages(owner_id=self._owner_id, query=text or " ", k=k, mode=mode)
        )
        return _documents(passages, self._corpus_id)  # type: ignore[arg-type]


def _documents(passages: list[Passage], corpus_id: dict[uuid.UUID, str]) -> list[str]:
    ids = [corpus_id[p.document_id] for p in passages if p.document_id in corpus_id]
    return unique_in_order(ids)[:DOCUMENTS_PER_QUERY]


def format_table(results: dict[str, Any]) -> str:
    metrics = ["ndcg@10", "recall@10", "recall@100", "mrr@10"]
    lines = [f"{'mode':<8}" + "".join(f"{m:>12}" for m in metrics)]
    for mode in ("vector", "keyword", "hybrid"):
        lines.append(f"{mode:<8}" + "".join(f"{results[mode][m]:>12.4f}" for m in metrics))
    if "followup" in results:
        lines.append("follow-up questions (searched as a chat turn would):")
        for mode in ("vector", "keyword", "hybrid"):
            lines.append(
                f"{mode:<8}" + "".join(f"{results['followup'][mode][m]:>12.4f}" for m in ("ndcg@10", "recall@10"))
            )
    ingest = results["ingest"]
    rate = ingest["chunks"] / ingest["seconds"] if ingest["seconds"] else 0.0
    lines.append(
        f"ingested {ingest['documents']:.0f} documents, {ingest['chunks']:.0f} chunks in "
        f"{ingest['seconds']:.1f} s ({rate:.1f} chunks/s)"
    )
    return "\n".join(lines)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("eval", help="evaluate retrieval quality")
    kinds = parser.add_subparsers(dest="eval_kind", required=True, metavar="KIND")
    retrieval = kinds.add_parser("retrieval", help="nDCG/recall/MRR on a BEIR-layout dataset")
    retrieval.add_argument("dataset", type=Path, metavar="DATASET_DIR")
    retrieval.add_argument("--json", action="store_true", help="print one JSON object")
    retrieval.set_defaults(run=run_eval_retrieval)


def run_eval_retrieval(args: argparse.Namespace) -> int:
    try:
        dataset = load_dataset(args.dataset)
    except DatasetError as exc:
        print(f"ragchat: {exc}", file=sys.stderr)
        return 2
    temporary = None
    if not os.environ.get("DATABASE_URL"):
        temporary = tempfile.mkdtemp(prefix="ragchat-eval-")
        os.chmod(temporary, 0o755)  # the embedded server runs as its own system user when we are root
    try:
        settings = load_settings(data_dir=temporary) if temporary else load_settings()
        configure_logging("WARNING", settings.log_format)
        results = asyncio.run(run_eval(settings, dataset, progress=None if args.json else sys.stderr))
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    print(json.dumps(results) if args.json else format_table(results))
    return 0
