"""PostgreSQL (+ pgvector) adapters: embedded server, engine, schema, migrations and repositories."""
