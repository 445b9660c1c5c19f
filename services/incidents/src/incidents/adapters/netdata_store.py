"""PostgreSQL queries of network data: sets and their versions, registrations, proofs and
conflicts. Feed runs and findings are in ``netdata_findings_store``."""
from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID, uuid4

import asyncpg

from incidents.domain.netdata import Kind, Registration, RegistrationChange
from incidents.domain.netdata.conflicts import ClaimConflict, conflicts_of


def _columns(registrations: Iterable[Registration]) -> tuple[list[str], list[str]]:
    ordered = sorted(registrations, key=lambda r: (r.kind, r.value))
    return [str(r.kind) for r in ordered], [r.value for r in ordered]


def _entries(registrations: Iterable[Registration]) -> list[dict[str, str]]:
    return [{"kind": str(r.kind), "value": r.value} for r in sorted(registrations, key=lambda r: (r.kind, r.value))]


async def bump_generation(conn: asyncpg.Connection) -> int:
    """Take the register's lock for this transaction and mark it changed."""
    return await conn.fetchval(
        "UPDATE netdata_register_state SET generation = generation + 1 RETURNING generation")


async def generation(conn: asyncpg.Connection) -> int:
    return await conn.fetchval("SELECT generation FROM netdata_register_state")


async def current_set(conn: asyncpg.Connection, organisation_id: UUID) -> tuple[int, frozenset[Registration]]:
    version = await conn.fetchval(
        "SELECT coalesce(max(version), 0) FROM netdata_versions WHERE organisation_id = $1", organisation_id)
    rows = await conn.fetch("SELECT kind, value FROM netdata_registrations WHERE organisation_id = $1",
                            organisation_id)
    return version, frozenset(Registration(Kind(r["kind"]), r["value"]) for r in rows)


async def store_change(conn: asyncpg.Connection, organisation_id: UUID, version: int, mode: str,
                       change: RegistrationChange, upload: dict, changed_by: UUID) -> None:
    await conn.execute(
        "INSERT INTO netdata_versions (organisation_id, version, mode, entries, added, removed, upload, changed_by)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        organisation_id, version, mode, _entries(change.new), _entries(change.added), _entries(change.removed),
        upload, changed_by)
    if change.removed:
        kinds, values = _columns(change.removed)
        await conn.execute(
            "DELETE FROM netdata_registrations WHERE organisation_id = $1"
            " AND (kind, value) IN (SELECT * FROM unnest($2::text[], $3::text[]))",
            organisation_id, kinds, values)
        await conn.execute(
            "UPDATE netdata_conflicts SET status = 'withdrawn', resolved_at = now()"
            " WHERE organisation_id = $1 AND status = 'open'"
            " AND (kind, value) IN (SELECT * FROM unnest($2::text[], $3::text[]))",
            organisation_id, kinds, values)
    if change.added:
        kinds, values = _columns(change.added)
        await conn.execute(
            "INSERT INTO netdata_registrations (organisation_id, kind, value, network, domain_root, since_version)"
            " SELECT $1, k, v, CASE WHEN k = 'network' THEN v::cidr END,"
            "        CASE WHEN k = 'domain' THEN regexp_replace(v, '^\\*\\.', '') END, $4"
            " FROM unnest($2::text[], $3::text[]) AS t(k, v)",
            organisation_id, kinds, values, version)


_CLASHES = """
WITH added(kind, value) AS (SELECT * FROM unnest($2::text[], $3::text[]))
SELECT a.kind, a.value, r.organisation_id::text AS other, r.value AS theirs
  FROM added a JOIN netdata_registrations r ON r.kind = 'asn' AND r.value = a.value
 WHERE a.kind = 'asn' AND r.organisation_id <> $1
UNION ALL
SELECT a.kind, a.value, r.organisation_id::text, r.value
  FROM added a JOIN netdata_registrations r ON r.domain_root = regexp_replace(a.value, '^\\*\\.', '')
 WHERE a.kind = 'domain' AND r.organisation_id <> $1
UNION ALL
SELECT a.kind, a.value, r.organisation_id::text, r.value
  FROM added a JOIN netdata_registrations r ON r.network && a.value::cidr
 WHERE a.kind = 'network' AND r.network IS NOT NULL AND r.organisation_id <> $1
"""


async def find_conflicts(conn: asyncpg.Connection, organisation_id: UUID,
                         added: Iterable[Registration]) -> list[ClaimConflict]:
    kinds, values = _columns(added)
    if not kinds:
        return []
    rows = await conn.fetch(_CLASHES, organisation_id, kinds, values)
    return conflicts_of((r["kind"], r["value"], r["other"], r["theirs"]) for r in rows)


async def insert_conflict(conn: asyncpg.Connection, organisation_id: UUID, conflict: ClaimConflict) -> UUID | None:
    """Store an open conflict; None when one for this value is already open."""
    return await conn.fetchval(
        "INSERT INTO netdata_conflicts (id, organisation_id, kind, value, reason, others, other_organisation_ids)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7::uuid[])"
        " ON CONFLICT (organisation_id, kind, value) WHERE status = 'open' DO NOTHING RETURNING id",
        uuid4(), organisation_id, str(conflict.kind), conflict.value, conflict.reason,
        [{"organisation_id": o, "value": v} for o, v in conflict.others],
        list(conflict.other_organisation_ids))


async def registrations(conn: asyncpg.Connection, organisation_id: UUID) -> list[dict]:
    rows = await conn.fetch(
        "SELECT r.kind, r.value, r.since_version, p.method, p.proven_at,"
        "       p.challenge_token IS NOT NULL AS challenged"
        "  FROM netdata_registrations r"
        "  LEFT JOIN netdata_proofs p USING (organisation_id, kind, value)"
        " WHERE r.organisation_id = $1 ORDER BY r.kind, r.value", organisation_id)
    conflicts = await conn.fetch(
        "SELECT organisation_id, kind, value, others FROM netdata_conflicts"
        " WHERE status = 'open' AND (organisation_id = $1 OR $1 = ANY (other_organisation_ids))",
        organisation_id)
    under_review: set[tuple[str, str]] = set()
    for c in conflicts:
        if c["organisation_id"] == organisation_id:
            under_review.add((c["kind"], c["value"]))
        under_review.update((c["kind"], o["value"]) for o in c["others"] if o["organisation_id"] == str(organisation_id))
    return [{
        "kind": r["kind"], "value": r["value"], "since_version": r["since_version"],
        "proof": {"status": "proven" if r["proven_at"] else "unproven", "method": r["method"],
                  "proven_at": r["proven_at"].isoformat() if r["proven_at"] else None,
                  "challenge_issued": r["challenged"]},
        "under_review": (r["kind"], r["value"]) in under_review,
    } for r in rows]


async def versions(conn: asyncpg.Connection, organisation_id: UUID) -> list[dict]:
    rows = await conn.fetch(
        "SELECT version, mode, jsonb_array_length(entries) AS size, jsonb_array_length(added) AS added,"
        "       jsonb_array_length(removed) AS removed, upload, changed_by, changed_at"
        "  FROM netdata_versions WHERE organisation_id = $1 ORDER BY version DESC", organisation_id)
    return [{**dict(r), "changed_by": str(r["changed_by"]) if r["changed_by"] else None,
             "changed_at": r["changed_at"].isoformat()} for r in rows]


async def version(conn: asyncpg.Connection, organisation_id: UUID, number: int) -> dict | None:
    row = await conn.fetchrow(
        "SELECT version, mode, entries, added, removed, upload, changed_by, changed_at FROM netdata_versions"
        " WHERE organisation_id = $1 AND version = $2", organisation_id, number)
    if row is None:
        return None
    return {**dict(row), "changed_by": str(row["changed_by"]) if row["changed_by"] else None,
            "changed_at": row["changed_at"].isoformat()}


async def is_registered(conn: asyncpg.Connection, organisation_id: UUID, kind: Kind, value: str) -> bool:
    return await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM netdata_registrations WHERE organisation_id = $1 AND kind = $2 AND value = $3)",
        organisation_id, str(kind), value)


async def proof(conn: asyncpg.Connection, organisation_id: UUID, kind: Kind, value: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT challenge_token, method, proven_at FROM netdata_proofs"
        " WHERE organisation_id = $1 AND kind = $2 AND value = $3", organisation_id, str(kind), value)


async def issue_challenge(conn: asyncpg.Connection, organisation_id: UUID, kind: Kind, value: str,
                          token: str) -> str:
    """The challenge token of this claim: the one already given, or ``token`` when none was."""
    return await conn.fetchval(
        "INSERT INTO netdata_proofs (organisation_id, kind, value, challenge_token, challenge_at)"
        " VALUES ($1, $2, $3, $4, now())"
        " ON CONFLICT (organisation_id, kind, value) DO UPDATE"
        "   SET challenge_token = coalesce(netdata_proofs.challenge_token, EXCLUDED.challenge_token),"
        "       challenge_at = coalesce(netdata_proofs.challenge_at, EXCLUDED.challenge_at)"
        " RETURNING challenge_token", organisation_id, str(kind), value, token)


async def mark_proven(conn: asyncpg.Connection, organisation_id: UUID, kind: Kind, value: str,
                      method: str, proven_by: UUID) -> bool:
    """Record the proof; False when the claim was already proven (nothing to announce)."""
    row = await conn.fetchrow(
        "INSERT INTO netdata_proofs (organisation_id, kind, value, method, proven_by, proven_at)"
        " VALUES ($1, $2, $3, $4, $5, now())"
        " ON CONFLICT (organisation_id, kind, value) DO UPDATE"
        "   SET method = EXCLUDED.method, proven_by = EXCLUDED.proven_by, proven_at = EXCLUDED.proven_at"
        "   WHERE netdata_proofs.proven_at IS NULL"
        " RETURNING 1", organisation_id, str(kind), value, method, proven_by)
    return row is not None


async def conflicts(conn: asyncpg.Connection, status: str | None) -> list[dict]:
    rows = await conn.fetch(
        "SELECT * FROM netdata_conflicts WHERE ($1::text IS NULL OR status = $1) ORDER BY raised_at, id", status)
    return [_conflict_json(r) for r in rows]


async def resolve_conflict(conn: asyncpg.Connection, conflict_id: UUID, resolution: str, note: str | None,
                           resolved_by: UUID) -> dict | None:
    row = await conn.fetchrow(
        "UPDATE netdata_conflicts SET status = 'resolved', resolution = $2, note = $3, resolved_by = $4,"
        " resolved_at = now() WHERE id = $1 AND status = 'open' RETURNING *",
        conflict_id, resolution, note, resolved_by)
    return _conflict_json(row) if row else None


def _conflict_json(r: asyncpg.Record) -> dict:
    return {"id": str(r["id"]), "organisation_id": str(r["organisation_id"]), "kind": r["kind"],
            "value": r["value"], "reason": r["reason"], "others": r["others"], "status": r["status"],
            "resolution": r["resolution"], "note": r["note"], "raised_at": r["raised_at"].isoformat(),
            "resolved_by": str(r["resolved_by"]) if r["resolved_by"] else None,
            "resolved_at": r["resolved_at"].isoformat() if r["resolved_at"] else None}


async def all_registrations(conn: asyncpg.Connection) -> list[tuple[str, str, str]]:
    rows = await conn.fetch("SELECT organisation_id::text, kind, value FROM netdata_registrations")
    return [tuple(r) for r in rows]


