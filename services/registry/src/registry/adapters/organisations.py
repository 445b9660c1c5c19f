"""PostgreSQL queries of the register. Every function takes a connection, so the caller decides
the transaction (and the outbox event rides in the same one)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

_COLUMNS = """id, kvk, oin, legal_name, sector, subsector, entity_type, netcode,
    derived_classification, final_classification, size_class, override_reason, overridden_by,
    overridden_at, reasoning, entitlements, status, deregistration_reason, deregistered_at,
    version, data, registered_by, created_at, updated_at"""


@dataclass(frozen=True)
class Row:
    """The current state of one organisation as stored; built from a record by column name."""

    id: UUID
    kvk: str | None
    oin: str | None
    legal_name: str
    sector: str
    subsector: str | None
    entity_type: str | None
    netcode: str | None
    derived_classification: str
    final_classification: str
    size_class: str | None
    override_reason: str | None
    overridden_by: UUID | None
    overridden_at: datetime | None
    reasoning: list[dict[str, str]]
    entitlements: dict[str, Any]
    status: str
    deregistration_reason: str | None
    deregistered_at: datetime | None
    version: int
    data: dict[str, Any]
    registered_by: UUID
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, record: asyncpg.Record) -> "Row":
        return cls(**dict(record))


@dataclass(frozen=True)
class Entry:
    """What to write for an organisation: the registration and what follows from it."""

    data: dict[str, Any]
    derived: str
    final: str
    size_class: str | None
    reasoning: list[dict[str, str]]
    entitlements: dict[str, Any]

    def columns(self) -> tuple:
        d = self.data
        return (d.get("kvk_number"), d.get("oin"), d["legal_name"], d["sector"], d.get("subsector"),
                d.get("entity_type"), d.get("netcode"), self.derived, self.final, self.size_class,
                self.reasoning, self.entitlements, d)


async def holder_of(conn: asyncpg.Connection, *, kvk: str | None, oin: str | None,
                    except_id: UUID | None = None) -> tuple[str, UUID] | None:
    """Which identifier is already in the register, and whose; None when both are free."""
    for column, value in (("kvk", kvk), ("oin", oin)):
        if value is None:
            continue
        found = await conn.fetchval(
            f"SELECT id FROM organisations WHERE {column} = $1 AND id IS DISTINCT FROM $2",
            value, except_id)
        if found:
            return column, found
    return None


async def insert(conn: asyncpg.Connection, org_id: UUID, entry: Entry, registered_by: UUID) -> Row:
    record = await conn.fetchrow(
        f"""INSERT INTO organisations (id, kvk, oin, legal_name, sector, subsector, entity_type,
               netcode, derived_classification, final_classification, size_class, reasoning,
               entitlements, data, version, registered_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15)
            RETURNING {_COLUMNS}""",
        org_id, *entry.columns(), registered_by)
    return Row.of(record)


async def lock(conn: asyncpg.Connection, org_id: UUID) -> Row | None:
    """The row, locked until the transaction ends: a concurrent change waits, then sees ours."""
    record = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM organisations WHERE id = $1 FOR UPDATE", org_id)
    return Row.of(record) if record else None


async def get(conn: asyncpg.Connection, org_id: UUID) -> Row | None:
    record = await conn.fetchrow(f"SELECT {_COLUMNS} FROM organisations WHERE id = $1", org_id)
    return Row.of(record) if record else None


async def save_entry(conn: asyncpg.Connection, org_id: UUID, entry: Entry, *,
                     expected_version: int) -> Row | None:
    """Write a new registration; None when the version moved on (someone else was first)."""
    record = await conn.fetchrow(
        f"""UPDATE organisations SET kvk = $3, oin = $4, legal_name = $5, sector = $6,
               subsector = $7, entity_type = $8, netcode = $9, derived_classification = $10,
               final_classification = $11, size_class = $12, reasoning = $13,
               entitlements = $14, data = $15, version = version + 1, updated_at = now()
            WHERE id = $1 AND version = $2
            RETURNING {_COLUMNS}""",
        org_id, expected_version, *entry.columns())
    return Row.of(record) if record else None


async def save_classification(conn: asyncpg.Connection, org_id: UUID, *, final: str,
                              entitlements: dict[str, Any], reason: str | None,
                              by: UUID | None, expected_version: int) -> Row | None:
    record = await conn.fetchrow(
        f"""UPDATE organisations SET final_classification = $3, entitlements = $4,
               override_reason = $5, overridden_by = $6,
               overridden_at = CASE WHEN $5::text IS NULL THEN NULL ELSE now() END,
               version = version + 1, updated_at = now()
            WHERE id = $1 AND version = $2
            RETURNING {_COLUMNS}""",
        org_id, expected_version, final, entitlements, reason, by)
    return Row.of(record) if record else None


async def save_deregistration(conn: asyncpg.Connection, org_id: UUID, *, reason: str,
                              expected_version: int) -> Row | None:
    record = await conn.fetchrow(
        f"""UPDATE organisations SET status = 'deregistered', deregistration_reason = $3,
               deregistered_at = now(), version = version + 1, updated_at = now()
            WHERE id = $1 AND version = $2 AND status = 'registered'
            RETURNING {_COLUMNS}""",
        org_id, expected_version, reason)
    return Row.of(record) if record else None


def classification_json(row: Row) -> dict[str, Any]:
    return {"derived": row.derived_classification, "final": row.final_classification,
            "size_class": row.size_class, "reasoning": row.reasoning,
            "override_reason": row.override_reason,
            "overridden_by": str(row.overridden_by) if row.overridden_by else None}


async def add_version(conn: asyncpg.Connection, row: Row, *, change: str,
                      changed_fields: list[str] = (), reason: str | None = None,
                      by: UUID | None, by_name: str | None) -> None:
    await conn.execute(
        """INSERT INTO organisation_versions (organisation_id, version, change, changed_fields,
               reason, data, classification, status, changed_by, changed_by_name, changed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""",
        row.id, row.version, change, list(changed_fields), reason, row.data,
        classification_json(row), row.status, by, by_name, row.updated_at)


async def history(conn: asyncpg.Connection, org_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT version, change, changed_fields, reason, data, classification, status,
                  changed_by, changed_by_name, changed_at
           FROM organisation_versions WHERE organisation_id = $1 ORDER BY version DESC""",
        org_id)


# ------------------------------------------------------------------ the CSIRT's search


@dataclass(frozen=True)
class Filters:
    name: str | None = None
    kvk: str | None = None
    sector: str | None = None
    subsector: str | None = None
    classification: str | None = None
    netcode: bool | None = None
    netcode_impact: str | None = None
    status: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        args: list[Any] = []

        def add(sql: str, value: Any) -> None:
            args.append(value)
            clauses.append(sql.replace("$?", f"${len(args)}"))

        if self.name:
            # A name is a phrase to find, not a pattern: escape LIKE's own wildcards.
            escaped = self.name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            add("legal_name ILIKE '%' || $? || '%'", escaped)
        if self.kvk:
            add("kvk = $?", self.kvk)
        if self.sector:
            add("sector = $?", self.sector)
        if self.subsector:
            add("subsector = $?", self.subsector)
        if self.classification:
            add("final_classification = $?", self.classification)
        if self.netcode is not None:
            clauses.append("netcode IS NOT NULL" if self.netcode else "netcode IS NULL")
        if self.netcode_impact:
            add("netcode = $?", self.netcode_impact)
        if self.status:
            add("status = $?", self.status)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


async def search(conn: asyncpg.Connection, filters: Filters, *, limit: int | None,
                 offset: int = 0) -> tuple[list[Row], int]:
    where, args = filters.where()
    total = await conn.fetchval(f"SELECT count(*) FROM organisations{where}", *args)
    page = ""
    if limit is not None:
        page = f" LIMIT ${len(args) + 1} OFFSET ${len(args) + 2}"
        args = [*args, limit, offset]
    records = await conn.fetch(
        f"SELECT {_COLUMNS} FROM organisations{where} ORDER BY lower(legal_name), id{page}", *args)
    return [Row.of(r) for r in records], total
