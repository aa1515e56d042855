"""Shared fixtures: real embedded PostgreSQL + pgvector and a real redis-server, started once per session."""

import os

# Nothing may be fetched from a model hub: prove the embedded defaults work offline.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

pytest_plugins = ["tests.support.postgres", "tests.support.redis_server", "tests.support.llama_server"]
