"""In-memory twins of the ports, for unit tests and contract tests. Same semantics as the real adapters."""
