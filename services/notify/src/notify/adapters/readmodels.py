"""notify's own picture of people, memberships, roles and organisations, kept from events."""
from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg


async def upsert_person(conn: asyncpg.Connection, person_id: UUID, name: str, email: str,
                        language: str | None) -> None:
    await conn.execute(
        """INSERT INTO persons (id, name, email, language) VALUES ($1, $2, $3, coalesce($4, 'nl'))
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email,
               language = coalesce($4, persons.language), updated_at = now()""",
        person_id, name, email, language)


async def add_membership(conn: asyncpg.Connection, organisation_id: UUID, person_id: UUID) -> None:
    await conn.execute("INSERT INTO memberships (organisation_id, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                       organisation_id, person_id)


async def remove_membership(conn: asyncpg.Connection, organisation_id: UUID, person_id: UUID) -> None:
    await conn.execute("DELETE FROM roles WHERE organisation_id = $1 AND person_id = $2", organisation_id, person_id)
    await conn.execute("DELETE FROM memberships WHERE organisation_id = $1 AND person_id = $2",
                       organisation_id, person_id)


async def grant_role(conn: asyncpg.Connection, organisation_id: UUID, person_id: UUID, role: str,
                     usable_from: datetime) -> None:
    await conn.execute(
        """INSERT INTO roles (organisation_id, person_id, role, usable_from) VALUES ($1, $2, $3, $4)
           ON CONFLICT (organisation_id, role, person_id) DO UPDATE
           SET usable_from = excluded.usable_from, activated = false""",
        organisation_id, person_id, role, usable_from)


async def activate_role(conn: asyncpg.Connection, organisation_id: UUID, person_id: UUID, role: str) -> None:
    await conn.execute(
        """INSERT INTO roles (organisation_id, person_id, role, usable_from, activated) VALUES ($1, $2, $3, now(), true)
           ON CONFLICT (organisation_id, role, person_id) DO UPDATE SET activated = true""",
        organisation_id, person_id, role)


async def withdraw_role(conn: asyncpg.Connection, organisation_id: UUID, person_id: UUID, role: str) -> None:
    await conn.execute("DELETE FROM roles WHERE organisation_id = $1 AND person_id = $2 AND role = $3",
                       organisation_id, person_id, role)


async def person(conn: asyncpg.Connection, person_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT id, name, email, language FROM persons WHERE id = $1", person_id)


async def upsert_organisation(conn: asyncpg.Connection, snapshot) -> None:
    """Keep the newest registration version; an older one arriving late changes nothing."""
    await conn.execute(
        """INSERT INTO organisations (id, legal_name, sector, subsector, classification, netcode, group_mailbox,
                                      registered, registration_version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, true, $8)
           ON CONFLICT (id) DO UPDATE SET legal_name = excluded.legal_name, sector = excluded.sector,
               subsector = excluded.subsector, classification = excluded.classification,
               netcode = excluded.netcode, group_mailbox = excluded.group_mailbox,
               registration_version = excluded.registration_version
           WHERE organisations.registration_version <= excluded.registration_version""",
        snapshot.organisation_id, snapshot.legal_name, snapshot.sector, snapshot.subsector,
        snapshot.classification, snapshot.netcode, snapshot.group_mailbox, snapshot.registration_version)


async def deregister_organisation(conn: asyncpg.Connection, organisation_id: UUID) -> None:
    await conn.execute("UPDATE organisations SET registered = false WHERE id = $1", organisation_id)


async def organisation_name(conn: asyncpg.Connection, organisation_id: UUID | None) -> str:
    if organisation_id is None:
        return ""
    return await conn.fetchval("SELECT legal_name FROM organisations WHERE id = $1", organisation_id) or ""
