"""Attachment metadata; the bytes live in an AttachmentStorage."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg


async def insert(conn: asyncpg.Connection, **row: Any) -> None:
    columns = ", ".join(row)
    params = ", ".join(f"${i}" for i in range(1, len(row) + 1))
    await conn.execute(f"INSERT INTO attachments ({columns}) VALUES ({params})", *row.values())


async def of_incident(conn: asyncpg.Connection, incident_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT * FROM attachments WHERE incident_id = $1 ORDER BY uploaded_at", incident_id)


async def get(conn: asyncpg.Connection, incident_id: UUID, attachment_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM attachments WHERE incident_id = $1 AND id = $2",
                               incident_id, attachment_id)
