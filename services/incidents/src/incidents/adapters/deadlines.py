"""Deadlines of an incident in UTC, and the scheduler's rows (one per reminder and per
missed-deadline check), kept in step with the domain's open deadlines."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

import asyncpg

from incidents.domain.deadlines import Deadline, reminder_schedule


async def sync(conn: asyncpg.Connection, incident_id: UUID, open_deadlines: Iterable[Deadline], *,
               now: datetime) -> None:
    """Make the stored deadlines and jobs match ``open_deadlines``: close what was met, cancel
    its pending reminders, add new deadlines with their jobs. Runs in the caller's transaction."""
    rows = {r["kind"]: r for r in await conn.fetch(
        "SELECT kind, due, closed_at FROM incident_deadlines WHERE incident_id = $1 FOR UPDATE", incident_id)}
    wanted = {d.kind.value: d for d in open_deadlines}
    for kind, row in rows.items():
        still_open = row["closed_at"] is None
        if still_open and (kind not in wanted or wanted[kind].due != row["due"]):
            await _cancel_jobs(conn, incident_id, kind, now)
            if kind not in wanted:
                await conn.execute(
                    "UPDATE incident_deadlines SET closed_at = $3 WHERE incident_id = $1 AND kind = $2",
                    incident_id, kind, now)
    for kind, deadline in wanted.items():
        row = rows.get(kind)
        if row is not None and row["closed_at"] is None and row["due"] == deadline.due:
            continue
        await conn.execute(
            """INSERT INTO incident_deadlines (incident_id, kind, due) VALUES ($1, $2, $3)
               ON CONFLICT (incident_id, kind) DO UPDATE SET due = EXCLUDED.due, closed_at = NULL""",
            incident_id, kind, deadline.due)
        await _schedule(conn, incident_id, deadline, now)


async def _schedule(conn: asyncpg.Connection, incident_id: UUID, deadline: Deadline, now: datetime) -> None:
    schedule = reminder_schedule(deadline, after=now)
    jobs = [("reminder", at) for at in schedule.reminders] + [("missed", schedule.missed_at)]
    await conn.executemany(
        """INSERT INTO deadline_jobs (incident_id, deadline_kind, job, deadline, run_at)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING""",
        [(incident_id, deadline.kind.value, job, deadline.due, at) for job, at in jobs])


async def _cancel_jobs(conn: asyncpg.Connection, incident_id: UUID, kind: str, now: datetime) -> None:
    await conn.execute(
        """UPDATE deadline_jobs SET cancelled_at = $3
           WHERE incident_id = $1 AND deadline_kind = $2 AND done_at IS NULL AND cancelled_at IS NULL""",
        incident_id, kind, now)


async def of_incident(conn: asyncpg.Connection, incident_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT kind, due, closed_at FROM incident_deadlines WHERE incident_id = $1 ORDER BY due", incident_id)


async def claim_due_jobs(conn: asyncpg.Connection, *, now: datetime, batch: int) -> list[asyncpg.Record]:
    """Due jobs no other replica holds; locked until the caller's transaction ends."""
    return await conn.fetch(
        """
        SELECT j.id, j.incident_id, j.deadline_kind, j.job, j.deadline, i.reference, i.organisation_id
        FROM deadline_jobs j JOIN incidents i ON i.id = j.incident_id
        WHERE j.done_at IS NULL AND j.cancelled_at IS NULL AND j.run_at <= $1
        ORDER BY j.run_at, j.id
        LIMIT $2
        FOR UPDATE OF j SKIP LOCKED
        """,
        now, batch)


async def mark_done(conn: asyncpg.Connection, job_id: int, now: datetime) -> None:
    await conn.execute("UPDATE deadline_jobs SET done_at = $2 WHERE id = $1", job_id, now)


async def close_or_missed(conn: asyncpg.Connection, *, until: datetime) -> list[asyncpg.Record]:
    """Open deadlines due before ``until`` (close ones and missed ones), across all incidents."""
    return await conn.fetch(
        """
        SELECT d.incident_id, d.kind, d.due, d.closed_at, i.reference, i.organisation_id, i.title, i.status
        FROM incident_deadlines d JOIN incidents i ON i.id = d.incident_id
        WHERE d.closed_at IS NULL AND d.due <= $1
        ORDER BY d.due
        """,
        until)
