"""PostgreSQL queries for organisations, people, memberships, roles and invitations."""
from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg

from ..domain.login import OrganisationKeys

Conn = asyncpg.Connection


# ------------------------------------------------------------------ organisations (read model)


async def lock_organisation(conn: Conn, organisation_id: UUID) -> asyncpg.Record | None:
    """Every change to an organisation's members or roles takes this row lock first, so two
    admins changing each other at the same moment are handled one after the other."""
    return await conn.fetchrow("SELECT * FROM organisations WHERE id = $1 FOR UPDATE", organisation_id)


async def organisation(conn: Conn, organisation_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM organisations WHERE id = $1", organisation_id)


async def upsert_organisation(conn: Conn, *, id: UUID, legal_name: str, kvk: str | None, oin: str | None,
                              version: int, is_csirt: bool = False) -> None:
    """Keeps the newest registration version only, whatever order events arrive in."""
    await conn.execute(
        "INSERT INTO organisations (id, legal_name, kvk, oin, registration_version, is_csirt) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET legal_name = EXCLUDED.legal_name, "
        "kvk = EXCLUDED.kvk, oin = EXCLUDED.oin, registration_version = EXCLUDED.registration_version "
        "WHERE organisations.registration_version < EXCLUDED.registration_version",
        id, legal_name, kvk, oin, version, is_csirt)


async def organisations_by_keys(conn: Conn, *, kvk: str | None, oin: str | None) -> list[OrganisationKeys]:
    rows = await conn.fetch("SELECT id, legal_name, kvk, oin FROM organisations WHERE NOT deregistered AND "
                            "((kvk = $1 AND $1 IS NOT NULL) OR (oin = $2 AND $2 IS NOT NULL))", kvk, oin)
    return [OrganisationKeys(r["id"], r["legal_name"], r["kvk"], r["oin"]) for r in rows]


# ------------------------------------------------------------------ people


async def person(conn: Conn, person_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM people WHERE id = $1", person_id)


async def person_by_identity(conn: Conn, idp: str, subject: str) -> UUID | None:
    return await conn.fetchval("SELECT person_id FROM person_identities WHERE idp = $1 AND subject = $2",
                               idp, subject)


async def ensure_person(conn: Conn, person_id: UUID, name: str, email: str) -> None:
    await conn.execute("INSERT INTO people (id, name, email) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
                       person_id, name, email)


async def record_login(conn: Conn, person_id: UUID, *, idp: str, subject: str, name: str, email: str,
                       kvk: str | None, oin: str | None, level: str | None, at: datetime) -> None:
    """The IdP is the source of the name and e-mail; both are refreshed at each login."""
    await conn.execute("UPDATE people SET name = $2, email = $3, last_login_at = $4 WHERE id = $1",
                       person_id, name, email, at)
    await conn.execute(
        "INSERT INTO person_identities (idp, subject, person_id, kvk, oin, last_level, last_seen_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (idp, subject) DO UPDATE SET kvk = $4, oin = $5, "
        "last_level = $6, last_seen_at = $7", idp, subject, person_id, kvk, oin, level, at)


# ------------------------------------------------------------------ memberships and roles


async def add_membership(conn: Conn, organisation_id: UUID, person_id: UUID, at: datetime) -> bool:
    return bool(await conn.fetchval(
        "INSERT INTO memberships (organisation_id, person_id, joined_at) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING RETURNING true", organisation_id, person_id, at))


async def delete_membership(conn: Conn, organisation_id: UUID, person_id: UUID) -> bool:
    return bool(await conn.fetchval("DELETE FROM memberships WHERE organisation_id = $1 AND person_id = $2 "
                                    "RETURNING true", organisation_id, person_id))


async def is_member(conn: Conn, organisation_id: UUID, person_id: UUID) -> bool:
    return bool(await conn.fetchval("SELECT true FROM memberships WHERE organisation_id = $1 AND person_id = $2",
                                    organisation_id, person_id))


async def memberships_of(conn: Conn, person_id: UUID) -> list[OrganisationKeys]:
    rows = await conn.fetch("SELECT o.id, o.legal_name, o.kvk, o.oin FROM memberships m "
                            "JOIN organisations o ON o.id = m.organisation_id WHERE m.person_id = $1 "
                            "ORDER BY m.joined_at, o.id", person_id)
    return [OrganisationKeys(r["id"], r["legal_name"], r["kvk"], r["oin"]) for r in rows]


async def current_grants(conn: Conn, organisation_id: UUID, person_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT role, usable_from, granted_at, granted_by FROM role_grants "
                            "WHERE organisation_id = $1 AND person_id = $2 AND withdrawn_at IS NULL ORDER BY role",
                            organisation_id, person_id)


async def usable_roles(conn: Conn, organisation_id: UUID, person_id: UUID, now: datetime) -> set[str]:
    rows = await conn.fetch("SELECT role FROM role_grants WHERE organisation_id = $1 AND person_id = $2 "
                            "AND withdrawn_at IS NULL AND usable_from <= $3", organisation_id, person_id, now)
    return {r["role"] for r in rows}


async def is_csirt(conn: Conn, organisation_id: UUID) -> bool:
    return bool(await conn.fetchval("SELECT is_csirt FROM organisations WHERE id = $1", organisation_id))


async def holders(conn: Conn, organisation_id: UUID, role: str, usable_at: datetime | None = None) -> set[UUID]:
    """Who holds `role`; with `usable_at`, only those who can use it at that moment."""
    rows = await conn.fetch("SELECT person_id FROM role_grants WHERE organisation_id = $1 AND role = $2 "
                            "AND withdrawn_at IS NULL AND ($3::timestamptz IS NULL OR usable_from <= $3)",
                            organisation_id, role, usable_at)
    return {r["person_id"] for r in rows}


async def insert_grant(conn: Conn, organisation_id: UUID, person_id: UUID, role: str, *, by: UUID | None,
                       at: datetime, usable_from: datetime) -> bool:
    return bool(await conn.fetchval(
        "INSERT INTO role_grants (organisation_id, person_id, role, granted_by, granted_at, usable_from) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (organisation_id, person_id, role) "
        "WHERE withdrawn_at IS NULL DO NOTHING RETURNING true",
        organisation_id, person_id, role, by, at, usable_from))


async def withdraw_grant(conn: Conn, organisation_id: UUID, person_id: UUID, role: str, *, by: UUID | None,
                         at: datetime) -> bool:
    return bool(await conn.fetchval(
        "UPDATE role_grants SET withdrawn_at = $4, withdrawn_by = $5 WHERE organisation_id = $1 AND "
        "person_id = $2 AND role = $3 AND withdrawn_at IS NULL RETURNING true",
        organisation_id, person_id, role, at, by))


async def members(conn: Conn, organisation_id: UUID) -> list[dict]:
    rows = await conn.fetch(
        "SELECT p.id, p.name, p.email, m.joined_at, coalesce(json_agg(json_build_object("
        "'role', g.role, 'usable_from', g.usable_from, 'granted_at', g.granted_at)) "
        "FILTER (WHERE g.role IS NOT NULL), '[]') AS roles FROM memberships m JOIN people p ON p.id = m.person_id "
        "LEFT JOIN role_grants g ON g.organisation_id = m.organisation_id AND g.person_id = m.person_id "
        "AND g.withdrawn_at IS NULL WHERE m.organisation_id = $1 GROUP BY p.id, m.joined_at ORDER BY p.name",
        organisation_id)
    return [dict(r) for r in rows]


async def take_due_grants(conn: Conn, now: datetime, limit: int = 100) -> list[asyncpg.Record]:
    """Grants whose time has come, marked activated in the caller's transaction. SKIP LOCKED lets
    replicas share the work; the mark makes each activation happen once."""
    return await conn.fetch(
        "WITH due AS (SELECT id FROM role_grants WHERE activated_at IS NULL AND withdrawn_at IS NULL "
        "AND usable_from <= $1 ORDER BY usable_from, id LIMIT $2 FOR UPDATE SKIP LOCKED) "
        "UPDATE role_grants g SET activated_at = $1 FROM due, people p, organisations o "
        "WHERE g.id = due.id AND p.id = g.person_id AND o.id = g.organisation_id "
        "RETURNING g.organisation_id, g.person_id, g.role, p.name, p.email, p.language, o.legal_name",
        now, limit)


# ------------------------------------------------------------------ invitations


async def open_invitations_for(conn: Conn, email: str, now: datetime) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT i.*, o.legal_name, o.kvk, o.oin FROM invitations i JOIN organisations o ON o.id = i.organisation_id "
        "WHERE lower(i.email) = lower($1) AND i.status = 'open' AND i.expires_at > $2 ORDER BY i.created_at "
        "FOR UPDATE OF i", email, now)


async def insert_invitation(conn: Conn, *, id: UUID, organisation_id: UUID, email: str, roles: list[str],
                            invited_by: UUID, at: datetime, expires_at: datetime) -> bool:
    return bool(await conn.fetchval(
        "INSERT INTO invitations (id, organisation_id, email, roles, invited_by, created_at, expires_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (organisation_id, lower(email)) WHERE status = 'open' "
        "DO NOTHING RETURNING true", id, organisation_id, email, roles, invited_by, at, expires_at))


async def invitations(conn: Conn, organisation_id: UUID) -> list[dict]:
    rows = await conn.fetch("SELECT id, email, roles, invited_by, created_at, expires_at, status, accepted_by, "
                            "accepted_at FROM invitations WHERE organisation_id = $1 ORDER BY created_at DESC",
                            organisation_id)
    return [dict(r) for r in rows]


async def set_invitation_status(conn: Conn, invitation_id: UUID, organisation_id: UUID, status: str, *,
                                person_id: UUID | None = None, at: datetime | None = None) -> bool:
    return bool(await conn.fetchval(
        "UPDATE invitations SET status = $3, accepted_by = $4, accepted_at = $5 WHERE id = $1 AND "
        "organisation_id = $2 AND status = 'open' RETURNING true",
        invitation_id, organisation_id, status, person_id, at))


async def member_with_email(conn: Conn, organisation_id: UUID, email: str) -> bool:
    return bool(await conn.fetchval(
        "SELECT true FROM memberships m JOIN people p ON p.id = m.person_id WHERE m.organisation_id = $1 "
        "AND lower(p.email) = lower($2)", organisation_id, email))
