"""`ragchat eval retrieval DATASET_DIR [--json] [--half dev|test] [--split NAME]`: retrieval quality on a BEIR
dataset.

The corpus is ingested for a throwaway account through the real pipeline (upload → parse → chunk → embed →
index), each query is searched in vector, keyword and hybrid mode, passages are folded into documents at their
best rank, and nDCG@10, recall@10, recall@100 and MRR@10 are averaged over the judged queries. A dataset with
``followups.jsonl`` also gets the follow-up questions' figures, searched with the query a chat turn without a
model would use; one with ``offtopic.jsonl`` gets the relevance floor's decline rates (off-topic questions
declined, answerable ones declined) at the configured floor and a grid of others.
``--half`` keeps one fixed half of the queries (``application.evaluation.halves``): tune on ``dev``, measure
``test`` once at the end. ``--split`` reads another split's judgements (``qrels/NAME.tsv``) over the same corpus.
Without DATABASE_URL the embedded database lives in a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
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

from application.commands import DeleteDocument, ListDocuments, RegisterUser, SearchPassages
from application.evaluation.beir import Dataset, DatasetError, FollowUp, load_dataset
from application.evaluation.decline import decline_rates, trade_off
from application.evaluation.halves import HALVES, only_half
from application.evaluation.metrics import evaluate, unique_in_order
from application.ports.embedder import Embedder
from application.retrieval.followup_query import combined_query
from application.retrieval.relevance import best_similarity
from application.use_cases.documents.search_passages import MAX_K
from domain.documents import DocumentStatus, Passage
from domain.errors import DomainError
from entrypoints.cli.eval_report import format_table
from entrypoints.cli.ingest import cli_container, find_user_id, upload_and_index
from entrypoints.ioc.scoped_dispatch import dispatch_in_request
from entrypoints.logging_setup import configure_logging
from entrypoints.settings import Settings
from entrypoints.settings_loading import load_settings

MODES = ("vector", "keyword", "hybrid")
DOCUMENTS_PER_QUERY = 100
TOP_PASSAGES = 20  # enough for 10 documents when some have two chunks


async def run_eval(
    settings: Settings, dataset: Dataset, progress: Any = None, reuse_key: str | None = None
) -> dict[str, Any]:
    """``reuse_key`` names an eval account kept in the database: a second run with the same key searches the
    corpus the first one indexed (only what is missing is ingested), so tuning does not re-embed everything."""
    container = cli_container(settings)
    try:
        owner_id, indexed_files = await _eval_owner(container, reuse_key)
        by_filename = {_filename(item.id): item.id for item in dataset.corpus}
        corpus_id = {doc: by_filename[name] for doc, name in indexed_files.items() if name in by_filename}
        chunks = ready = 0
        async with container() as request:  # load the models now, so throughput measures indexing only
            embedder = await request.get(Embedder)
            await embedder.embed_query("warm-up")
            await embedder.embed_documents(["warm-up"])  # the ONNX export of a fresh data folder, or torch
        started = time.perf_counter()
        indexed = set(corpus_id.values())
        for number, item in enumerate(dataset.corpus, start=1):
            if item.id in indexed:
                continue
            try:
                filename = _filename(item.id)
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
                top[query.id] = search.documents(await search(query.text, TOP_PASSAGES, mode))
                deep[query.id] = search.documents(await search(query.text, MAX_K, mode))
            scores = evaluate(top, dataset.qrels)
            scores["recall@100"] = evaluate(deep, dataset.qrels)["recall@100"]
            results[mode] = {name: round(scores[name], 4) for name in ("ndcg@10", "recall@10", "recall@100", "mrr@10")}
        if dataset.followups:
            results["followup"] = await _followups(search, dataset)
        if dataset.offtopic:
            results["decline"] = await _declines(search, dataset, settings)
        results["ingest"] = {"documents": ready, "chunks": chunks, "seconds": round(seconds, 2)}
        if not settings.embedded and reuse_key is None:
            for document_id in corpus_id:
                await dispatch_in_request(container, DeleteDocument(owner_id=owner_id, document_id=document_id))
        return results
    finally:
        await container.close()


def _filename(corpus_id: str) -> str:
    return f"{corpus_id.replace('/', '_')}.txt"


async def _eval_owner(container: Any, reuse_key: str | None) -> tuple[uuid.UUID, dict[uuid.UUID, str]]:
    """The eval account and the files it has indexed already (document id → filename; empty when new)."""
    if reuse_key is not None:
        email = f"eval-{reuse_key}@example.invalid"
        try:
            owner_id = await find_user_id(container, email)
        except DomainError:
            pass
        else:
            documents = await dispatch_in_request(container, ListDocuments(owner_id=owner_id))
            ready = [d for d in documents if d.status is DocumentStatus.READY]
            return owner_id, {d.id: d.filename for d in ready}
    else:
        email = f"eval-{uuid.uuid4().hex[:12]}@example.invalid"
    register = RegisterUser(email=email, password=secrets.token_urlsafe(24), by_operator=True)
    user = await dispatch_in_request(container, register)
    return user.id, {}


def followup_query(followup: FollowUp) -> str:
    """What a chat turn without a model searches for this follow-up (``CombiningQueryRewriter``)."""
    return combined_query(followup.text, followup.history)


async def _followups(search: _Searcher, dataset: Dataset) -> dict[str, dict[str, float]]:
    """Each mode searched as a chat turn would, plus hybrid with the question alone (how it was before)."""
    figures: dict[str, dict[str, float]] = {}
    variants = [(mode, mode, followup_query) for mode in MODES] + [("hybrid, question alone", "hybrid", _alone)]
    for name, mode, query_of in variants:
        runs = {f.id: search.documents(await search(query_of(f), TOP_PASSAGES, mode)) for f in dataset.followups}
        scores = evaluate(runs, dataset.followup_qrels)
        figures[name] = {metric: round(scores[metric], 4) for metric in ("ndcg@10", "recall@10")}
    return figures


def _alone(followup: FollowUp) -> str:
    return followup.text


async def _declines(search: _Searcher, dataset: Dataset, settings: Settings) -> dict[str, Any]:
    """The best similarity of each question's answer-sized hybrid search, against the floor and its grid."""
    k = settings.retrieval_k
    answerable = [best_similarity(await search(q.text, k, "hybrid")) for q in dataset.queries]
    followups = [best_similarity(await search(followup_query(f), k, "hybrid")) for f in dataset.followups]
    offtopic = [best_similarity(await search(q.text, k, "hybrid")) for q in dataset.offtopic]
    return {
        "configured": decline_rates(answerable, followups, offtopic, settings.effective_relevance_floor),
        "grid": trade_off(answerable, followups, offtopic),
    }


class _Searcher:
    """One search through the bus; ``documents`` folds its passages into corpus document ids."""

    def __init__(self, container: Any, owner_id: uuid.UUID, corpus_id: dict[uuid.UUID, str]) -> None:
        self._container = container
        self._owner_id = owner_id
        self._corpus_id = corpus_id

    async def __call__(self, text: str, k: int, mode: str) -> list[Passage]:
        passages = await dispatch_in_request(
            self._container, SearchPassages(owner_id=self._owner_id, query=text or " ", k=k, mode=mode)
        )
        return passages

    def documents(self, passages: list[Passage]) -> list[str]:
        ids = [self._corpus_id[p.document_id] for p in passages if p.document_id in self._corpus_id]
        return unique_in_order(ids)[:DOCUMENTS_PER_QUERY]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("eval", help="evaluate retrieval quality")
    kinds = parser.add_subparsers(dest="eval_kind", required=True, metavar="KIND")
    retrieval = kinds.add_parser("retrieval", help="nDCG/recall/MRR on a BEIR-layout dataset")
    retrieval.add_argument("dataset", type=Path, metavar="DATASET_DIR")
    retrieval.add_argument("--json", action="store_true", help="print one JSON object")
    retrieval.add_argument(
        "--keep",
        type=Path,
        metavar="DATA_DIR",
        help="keep the embedded database in DATA_DIR; a later run with the same DATA_DIR and dataset searches "
        "what this one indexed instead of ingesting again (for tuning search settings, not chunking)",
    )
    retrieval.add_argument(
        "--half",
        choices=HALVES,
        help="only one fixed half of the queries (by a hash of each query id): tune on dev, measure test once",
    )
    retrieval.add_argument(
        "--split",
        default="test",
        metavar="NAME",
        help="the queries judged in qrels/NAME.tsv (from queries-NAME.jsonl if there is one), over the same "
        "corpus: a database kept for one split serves the others",
    )
    retrieval.set_defaults(run=run_eval_retrieval)


def run_eval_retrieval(args: argparse.Namespace) -> int:
    try:
        dataset = load_dataset(args.dataset, args.split)
    except DatasetError as exc:
        print(f"ragchat: {exc}", file=sys.stderr)
        return 2
    if args.half is not None:
        dataset = only_half(dataset, args.half)
    temporary = None
    reuse_key = None
    data_dir: str | None = None
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        os.chmod(args.keep, 0o755)
        data_dir = str(args.keep)
        reuse_key = hashlib.sha256(str(args.dataset.resolve()).encode()).hexdigest()[:12]
    elif not os.environ.get("DATABASE_URL"):
        temporary = data_dir = tempfile.mkdtemp(prefix="ragchat-eval-")
        os.chmod(temporary, 0o755)  # the embedded server runs as its own system user when we are root
    try:
        settings = load_settings(data_dir=data_dir) if data_dir else load_settings()
        configure_logging("WARNING", settings.log_format)
        progress = None if args.json else sys.stderr
        results = asyncio.run(run_eval(settings, dataset, progress=progress, reuse_key=reuse_key))
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    print(json.dumps(results) if args.json else format_table(results))
    return 0
