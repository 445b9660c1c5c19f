"""The audit log: logins (success and refusal, with IdP and level), role changes, invitations.
Written in the transaction of what it records, except refusals, which are recorded on their own
because there is nothing else to commit."""
from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg


async def record(conn: asyncpg.Connection | asyncpg.Pool, *, at: datetime, kind: str, outcome: str,
                 organisation_id: UUID | None = None, person_id: UUID | None = None,
                 actor_id: UUID | None = None, idp: str | None = None, level: str | None = None,
                 client_ip: str | None = None, **detail) -> None:
    await conn.execute(
        "INSERT INTO audit_log (at, kind, outcome, organisation_id, person_id, actor_id, idp, level, "
        "client_ip, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        at, kind, outcome, organisation_id, person_id, actor_id, idp, level, client_ip,
        {k: (str(v) if isinstance(v, UUID) else v) for k, v in detail.items() if v is not None})


async def entries(conn, organisation_id: UUID, *, limit: int, before: int | None) -> list[dict]:
    rows = await conn.fetch(
        "SELECT id, at, kind, outcome, person_id, actor_id, idp, level, detail FROM audit_log "
        "WHERE organisation_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3",
        organisation_id, before, limit)
    return [dict(r) for r in rows]
