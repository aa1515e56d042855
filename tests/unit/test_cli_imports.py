"""``ragchat search`` must stay quick to start: its modules, and a query embedded by the local model, import
neither torch nor the web framework, the Redis and OpenAI clients or Alembic (seconds on a busy machine)."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("torch", "sentence_transformers", "litestar", "uvicorn", "openai", "redis", "arq", "alembic", "pypdf")

_PROBE = """
import asyncio, json, sys
import entrypoints.cli
from entrypoints.cli import build_parser
build_parser(["search"])
import entrypoints.cli.search
from adapters.embedding.local_sentence_embedder import LocalSentenceEmbedder, bundled_model_dir
embedder = LocalSentenceEmbedder(bundled_model_dir(), 384)
vector = asyncio.run(embedder.embed_query("where do penguins breed?"))
embedder.close()
print(json.dumps({"length": len(vector), "modules": sorted({name.split(".")[0] for name in sys.modules})}))
"""


def test_search_command_and_query_embedding_import_nothing_heavy() -> None:
    done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=300, check=True)
    probe = json.loads(done.stdout.splitlines()[-1])
    assert probe["length"] == 384
    assert [name for name in HEAVY if name in probe["modules"]] == []
