"""Alembic environment. Run programmatically by ``adapters.postgres.migrate.run_migrations``, which hands us
an open connection (``config.attributes["connection"]``); there is no alembic.ini and no offline mode."""

from __future__ import annotations

from alembic import context

from adapters.postgres.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through adapters.postgres.migrate.run_migrations(url)")

context.configure(connection=connection, target_metadata=metadata, transaction_per_migration=True)
with context.begin_transaction():
    context.run_migrations()
