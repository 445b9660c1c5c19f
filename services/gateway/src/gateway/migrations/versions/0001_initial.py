"""The gateway's own small database: browser sessions (tokens kept here, never in the
browser), login attempts in flight, and rate-limit counters shared by every replica.

Revision ID: 0001
"""
from alembic import op
from weerbaar_platform.db import MESSAGING_TABLES, run_sql

revision = "0001"
down_revision = None


def upgrade() -> None:
    run_sql(op, MESSAGING_TABLES)
    run_sql(op, """
    -- id_hash is HMAC-SHA256(session_secret, cookie value): the cookie alone opens a session,
    -- a copy of this table does not.
    CREATE TABLE sessions (
        id_hash             text PRIMARY KEY,
        person              jsonb NOT NULL,
        organisations       jsonb NOT NULL,
        acting_organisation uuid,
        access_token        text NOT NULL,
        access_expires_at   timestamptz NOT NULL,
        refresh_token       text NOT NULL,
        csrf_token          text NOT NULL,
        created_at          timestamptz NOT NULL DEFAULT now(),
        last_seen_at        timestamptz NOT NULL DEFAULT now(),
        expires_at          timestamptz NOT NULL
    );
    CREATE INDEX sessions_expires ON sessions (expires_at);

    -- A login between /login/<idp> and /login/callback: state, the PKCE verifier, and the
    -- browser it belongs to (HMAC of the login cookie). Used once, then deleted.
    CREATE TABLE login_attempts (
        state          text PRIMARY KEY,
        browser_hash   text NOT NULL,
        code_verifier  text NOT NULL,
        idp            text NOT NULL,
        return_to      text NOT NULL DEFAULT '/',
        created_at     timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE rate_limits (
        bucket        text NOT NULL,
        window_start  timestamptz NOT NULL,
        hits          integer NOT NULL,
        PRIMARY KEY (bucket, window_start)
    );
    """)
