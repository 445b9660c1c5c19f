"""Incidents, their kept report versions, drafts and the CSIRT's internal notes."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from incidents.domain.reporting import ReportingState


async def next_reference(conn: asyncpg.Connection, now: datetime) -> str:
    number = await conn.fetchval("SELECT nextval('incident_reference_seq')")
    return f"INC-{now:%Y}-{number:06d}"


async def insert(conn: asyncpg.Connection, **row: Any) -> None:
    columns = ", ".join(row)
    params = ", ".join(f"${i}" for i in range(1, len(row) + 1))
    await conn.execute(f"INSERT INTO incidents ({columns}) VALUES ({params})", *row.values())


async def get(conn: asyncpg.Connection, incident_id: UUID, *, for_update: bool = False) -> asyncpg.Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(f"SELECT * FROM incidents WHERE id = $1{lock}", incident_id)


def state_of(row: asyncpg.Record) -> ReportingState | None:
    raw = row["reporting_state"]
    return None if raw is None else ReportingState.model_validate(raw)


async def save_state(conn: asyncpg.Connection, incident_id: UUID, state: ReportingState, now: datetime) -> None:
    await conn.execute("UPDATE incidents SET reporting_state = $2, updated_at = $3 WHERE id = $1",
                       incident_id, state.model_dump(mode="json"), now)


async def update_triage(conn: asyncpg.Connection, incident_id: UUID, changes: dict[str, Any], now: datetime) -> None:
    allowed = {"status", "severity", "assignee"}
    assert set(changes) <= allowed, changes
    sets = ", ".join(f"{name} = ${i}" for i, name in enumerate(changes, start=3))
    await conn.execute(f"UPDATE incidents SET updated_at = $2{', ' + sets if sets else ''} WHERE id = $1",
                       incident_id, now, *changes.values())


async def list_for(conn: asyncpg.Connection, *, organisation_id: UUID | None = None,
                   status: str | None = None, severity: str | None = None, statutory: bool | None = None,
                   assignee: UUID | None = None, channel: str | None = None, limit: int = 200) -> list[asyncpg.Record]:
    where, args = [], []
    for column, value in (("organisation_id", organisation_id), ("status", status), ("severity", severity),
                          ("statutory", statutory), ("assignee", assignee), ("channel", channel)):
        if value is not None:
            args.append(value)
            where.append(f"i.{column} = ${len(args)}")
    args.append(limit)
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    return await conn.fetch(
        f"""SELECT i.*, o.name AS organisation_name FROM incidents i
            LEFT JOIN organisations o ON o.id = i.organisation_id
            {clause} ORDER BY i.created_at DESC, i.reference DESC LIMIT ${len(args)}""", *args)


# --- kept versions ----------------------------------------------------------------------


async def next_version(conn: asyncpg.Connection, incident_id: UUID) -> int:
    return await conn.fetchval(
        "SELECT coalesce(max(version), 0) + 1 FROM incident_reports WHERE incident_id = $1", incident_id)


async def insert_report(conn: asyncpg.Connection, *, incident_id: UUID, version: int, stage: str,
                        content: dict, submitted_at: datetime, submitted_by: UUID, late: bool) -> None:
    await conn.execute(
        """INSERT INTO incident_reports (incident_id, version, stage, content, submitted_at, submitted_by, late)
           VALUES ($1, $2, $3, $4, $5, $6, $7)""",
        incident_id, version, stage, content, submitted_at, submitted_by, late)


async def reports(conn: asyncpg.Connection, incident_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT * FROM incident_reports WHERE incident_id = $1 ORDER BY version", incident_id)


# --- drafts -----------------------------------------------------------------------------


async def save_draft(conn: asyncpg.Connection, *, incident_id: UUID, stage: str, data: dict,
                     saved_at: datetime, saved_by: UUID) -> None:
    await conn.execute(
        """INSERT INTO incident_drafts (incident_id, stage, data, saved_at, saved_by) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (incident_id, stage) DO UPDATE
           SET data = EXCLUDED.data, saved_at = EXCLUDED.saved_at, saved_by = EXCLUDED.saved_by""",
        incident_id, stage, data, saved_at, saved_by)


async def draft(conn: asyncpg.Connection, incident_id: UUID, stage: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM incident_drafts WHERE incident_id = $1 AND stage = $2", incident_id, stage)


async def drafts(conn: asyncpg.Connection, incident_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT * FROM incident_drafts WHERE incident_id = $1 ORDER BY saved_at", incident_id)


async def delete_draft(conn: asyncpg.Connection, incident_id: UUID, stage: str) -> None:
    await conn.execute("DELETE FROM incident_drafts WHERE incident_id = $1 AND stage = $2", incident_id, stage)


# --- internal notes (CSIRT only) --------------------------------------------------------


async def add_note(conn: asyncpg.Connection, *, incident_id: UUID, author: UUID, text: str, now: datetime) -> int:
    return await conn.fetchval(
        "INSERT INTO internal_notes (incident_id, author, text, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        incident_id, author, text, now)


async def notes(conn: asyncpg.Connection, incident_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT * FROM internal_notes WHERE incident_id = $1 ORDER BY id", incident_id)
