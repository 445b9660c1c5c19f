"""The database: an asyncpg pool per service, and migrations run by Alembic.

Each service keeps its migrations in `<service>/migrations/` (Alembic's layout, with an `env.py`
that calls `run_alembic_env()`), written as plain SQL through `op.execute`. Migrations run at
start-up under a PostgreSQL advisory lock, so several replicas starting at once are safe."""
from __future__ import annotations

import asyncio
import json
from pathlib import Path

import asyncpg

MIGRATION_LOCK = 727_001  # advisory lock key: one migrator at a time per database


async def _init_connection(conn: asyncpg.Connection) -> None:
    for name in ("json", "jsonb"):
        await conn.set_type_codec(name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def create_pool(url: str, *, max_size: int = 10) -> asyncpg.Pool:
    return await asyncpg.create_pool(url, min_size=1, max_size=max_size, init=_init_connection,
                                     command_timeout=30)


def _sqlalchemy_url(url: str) -> str:
    return "postgresql+asyncpg://" + url.split("://", 1)[1]


def upgrade(url: str, migrations: Path) -> None:
    """Bring the database to the newest migration (blocking; call in a thread from async code)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations))
    cfg.set_main_option("sqlalchemy.url", _sqlalchemy_url(url))
    cfg.attributes["configure_logging"] = False
    command.upgrade(cfg, "head")


async def upgrade_async(url: str, migrations: Path) -> None:
    await asyncio.to_thread(upgrade, url, migrations)


def run_alembic_env() -> None:
    """The body of every service's migrations/env.py: online migrations over asyncpg."""
    from alembic import context
    from sqlalchemy import pool, text
    from sqlalchemy.ext.asyncio import create_async_engine

    url = context.config.get_main_option("sqlalchemy.url")

    def run(connection) -> None:
        context.configure(connection=connection, target_metadata=None, transactional_ddl=True)
        with context.begin_transaction():
            connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
            context.run_migrations()

    async def main() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as conn:
            await conn.run_sync(run)
        await engine.dispose()

    asyncio.run(main())


#: The messaging tables every service has; its first migration creates them.
MESSAGING_TABLES = """
CREATE TABLE outbox (
    id            bigserial PRIMARY KEY,
    event_id      uuid NOT NULL UNIQUE,
    topic         text NOT NULL,
    key           text NOT NULL,
    lane          smallint NOT NULL,
    payload       bytea NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz
);
CREATE INDEX outbox_pending ON outbox (lane, id) WHERE published_at IS NULL;
CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;

CREATE TABLE inbox (
    consumer      text NOT NULL,
    event_id      text NOT NULL,
    event_type    text NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
"""


def split_statements(script: str) -> list[str]:
    """Split a migration script into single statements (asyncpg prepares each statement, and a
    prepared statement holds one command). Splits at `;` ending a line, outside `$$` bodies."""
    statements, current, in_body = [], [], False
    for line in script.splitlines():
        if line.count("$$") % 2 == 1:
            in_body = not in_body
        current.append(line)
        if not in_body and line.rstrip().endswith(";"):
            stmt = "\n".join(current).strip()
            if stmt.strip(";").strip():
                statements.append(stmt)
            current = []
    rest = "\n".join(current).strip()
    if rest and not all(l.strip().startswith("--") or not l.strip() for l in current):
        statements.append(rest)
    return statements


def run_sql(op, script: str) -> None:
    """Run a SQL script from an Alembic migration, one statement at a time."""
    for statement in split_statements(script):
        op.execute(statement)
