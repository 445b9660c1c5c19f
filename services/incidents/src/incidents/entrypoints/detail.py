"""The organisation's view of one incident: everything it typed and submitted, its deadlines
and attachments, and nothing of the CSIRT's internals (severity, assignee, notes)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg

from incidents.adapters import attachments, deadlines, incidents
from incidents.entrypoints import views


async def organisation_view(conn: asyncpg.Connection, incident_id: UUID, now: datetime) -> dict:
    row = await incidents.get(conn, incident_id)
    detail = views.summary(row, await deadlines.of_incident(conn, incident_id), now)
    detail["stages_possible"] = views.stages_possible(incidents.state_of(row))
    detail["reports"] = [views.report(r) for r in await incidents.reports(conn, incident_id)]
    detail["drafts"] = [views.draft(r) for r in await incidents.drafts(conn, incident_id)]
    detail["attachments"] = [views.attachment(r) for r in await attachments.of_incident(conn, incident_id)]
    return detail
