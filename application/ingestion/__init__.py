"""Ingestion rules that do not depend on any vendor: token-window chunking, indexing policy, rank fusion."""
