"""What the CSAF provider poller has already fetched, so it fetches each document once.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
from weerbaar_platform.db import run_sql

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    run_sql(op, """
    CREATE TABLE feed_documents (
        url         text PRIMARY KEY,
        sha256      text NOT NULL,
        outcome     text NOT NULL,   -- ingested, refused, skipped: why
        fetched_at  timestamptz NOT NULL DEFAULT now()
    );
    """)
