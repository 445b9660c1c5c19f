"""The read model of the register: name and reporting duty per organisation."""

from __future__ import annotations

from uuid import UUID

import asyncpg


async def upsert(conn: asyncpg.Connection, *, organisation_id: UUID, name: str, classification: str,
                 statutory: bool, registration_version: int) -> None:
    # A replayed or reordered older snapshot never overwrites a newer one.
    await conn.execute(
        """
        INSERT INTO organisations (id, name, classification, statutory, registration_version)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, classification = EXCLUDED.classification,
            statutory = EXCLUDED.statutory, registration_version = EXCLUDED.registration_version,
            deregistered = false, updated_at = now()
        WHERE organisations.registration_version <= EXCLUDED.registration_version
        """,
        organisation_id, name, classification, statutory, registration_version,
    )


async def mark_deregistered(conn: asyncpg.Connection, organisation_id: UUID) -> None:
    await conn.execute("UPDATE organisations SET deregistered = true, updated_at = now() WHERE id = $1",
                       organisation_id)


async def get(conn: asyncpg.Connection, organisation_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM organisations WHERE id = $1", organisation_id)
