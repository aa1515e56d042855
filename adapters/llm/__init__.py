"""Chat model adapters: an OpenAI-compatible HTTP client guarded by retries and a circuit breaker, and the
offline extractive answerer used when no model is configured."""
