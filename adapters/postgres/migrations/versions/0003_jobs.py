"""Background jobs: the embedded runner's durable queue, token usage per message and the rolling chat context.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE jobs (
            id bigint GENERATED ALWAYS AS IDENTITY,
            key text NOT NULL,
            command text NOT NULL,
            payload bytea NOT NULL,
            status text NOT NULL DEFAULT 'queued',
            attempts integer NOT NULL DEFAULT 0,
            last_error text,
            run_after timestamptz NOT NULL DEFAULT now(),
            runner integer,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_jobs PRIMARY KEY (id),
            CONSTRAINT ck_jobs_status CHECK (status IN ('queued', 'running', 'failed', 'done'))
        )
        """
    )
    # One unfinished job per key: enqueueing a key already queued or running is a no-op (ON CONFLICT).
    op.execute("CREATE UNIQUE INDEX uq_jobs_key_unfinished ON jobs (key) WHERE status IN ('queued', 'running')")
    op.execute("CREATE INDEX ix_jobs_run_after_queued ON jobs (run_after, id) WHERE status = 'queued'")
    op.execute("CREATE INDEX ix_jobs_status_id ON jobs (status, id)")
    op.execute(
        """
        CREATE TABLE token_usage (
            message_id uuid NOT NULL,
            user_id uuid NOT NULL,
            chat_id uuid NOT NULL,
            prompt_tokens integer NOT NULL,
            completion_tokens integer NOT NULL,
            estimated boolean NOT NULL DEFAULT false,
            recorded_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_token_usage PRIMARY KEY (message_id),
            CONSTRAINT fk_token_usage_user_id_users FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
        )
        """
    )
    op.execute("CREATE INDEX ix_token_usage_user_id_chat_id ON token_usage (user_id, chat_id)")
    op.execute(
        """
        CREATE TABLE chat_contexts (
            chat_id uuid NOT NULL,
            summary text NOT NULL DEFAULT '',
            summarized_through integer NOT NULL DEFAULT 0,
            updated_at timestamptz,
            CONSTRAINT pk_chat_contexts PRIMARY KEY (chat_id),
            CONSTRAINT fk_chat_contexts_chat_id_chats FOREIGN KEY (chat_id) REFERENCES chats (id) ON DELETE CASCADE
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE chat_contexts")
    op.execute("DROP TABLE token_usage")
    op.execute("DROP TABLE jobs")
