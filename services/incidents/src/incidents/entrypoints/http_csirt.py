"""The CSIRT's side (analist): every incident, triage, internal notes, asking for an
intermediate report, and the deadlines that are close or missed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from weerbaar_contracts.events.incidents import IntermediateReportRequestedV1, StatusChangedV1
from weerbaar_platform import outbox
from weerbaar_platform.auth import ANALIST, Principal, current_principal

from incidents.adapters import attachments, deadlines, incidents
from incidents.domain.errors import DomainError
from incidents.domain.reporting import Severity, request_intermediate
from incidents.domain.triage import TriageStatus, check_note
from incidents.entrypoints import views
from incidents.entrypoints.detail import organisation_view
from incidents.entrypoints.common import clock_of, pool_of, settings_of, source_of, visible_incident

router = APIRouter(prefix="/csirt", tags=["csirt"])


def analist(principal: Principal = Depends(current_principal)) -> Principal:
    principal.require(ANALIST)
    return principal


class Triage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: TriageStatus | None = None
    severity: Severity | None = None
    #: A staff member's person id; null to unassign.
    assignee: UUID | None = None


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=20_000)


class IntermediateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    due: AwareDatetime | None = None


@router.get("/incidents")
async def all_incidents(
    request: Request,
    principal: Principal = Depends(analist),
    status: TriageStatus | None = None,
    severity: Severity | None = None,
    organisation_id: UUID | None = None,
    statutory: bool | None = None,
    assignee: UUID | None = None,
    channel: Literal["portal", "public_form"] | None = None,
    deadline: Literal["close", "missed", "close_or_missed"] | None = None,
    limit: int = Query(200, ge=1, le=1000),
) -> dict:
    now = clock_of(request).now()
    close_until = now + timedelta(hours=settings_of(request).deadline_close_hours)
    async with pool_of(request).acquire() as conn:
        rows = await incidents.list_for(
            conn, organisation_id=organisation_id, status=status, severity=severity, statutory=statutory,
            assignee=assignee, channel=channel, limit=limit)
        items = []
        for row in rows:
            item = _triage_view(row, await deadlines.of_incident(conn, row["id"]), now, close_until)
            if deadline is None or _deadline_matches(item, deadline):
                items.append(item)
    return {"items": items}


@router.get("/deadlines")
async def close_or_missed_deadlines(request: Request, principal: Principal = Depends(analist),
                                    within_hours: int | None = Query(None, ge=1, le=24 * 62)) -> dict:
    now = clock_of(request).now()
    hours = within_hours or settings_of(request).deadline_close_hours
    async with pool_of(request).acquire() as conn:
        rows = await deadlines.close_or_missed(conn, until=now + timedelta(hours=hours))
    return {"items": [{
        "incident_id": str(r["incident_id"]), "reference": r["reference"], "title": r["title"],
        "organisation_id": str(r["organisation_id"]), "status": r["status"], **views.deadline(r, now),
        "state": "missed" if r["due"] < now else "close",
    } for r in rows]}


@router.get("/incidents/{incident_id}")
async def incident_for_csirt(incident_id: UUID, request: Request, principal: Principal = Depends(analist)) -> dict:
    now = clock_of(request).now()
    async with pool_of(request).acquire() as conn:
        return await _detail(conn, incident_id, principal, now)


@router.patch("/incidents/{incident_id}")
async def triage(incident_id: UUID, body: Triage, request: Request, principal: Principal = Depends(analist)) -> dict:
    now = clock_of(request).now()
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    changes = {k: (v.value if hasattr(v, "value") else v) for k, v in changes.items()}
    async with pool_of(request).acquire() as conn, conn.transaction():
        row = await visible_incident(conn, principal, incident_id, for_update=True)
        if changes.get("status") is None:
            changes.pop("status", None)  # a status is never unset, only changed
        await incidents.update_triage(conn, incident_id, changes, now)
        if "status" in changes and changes["status"] != row["status"]:
            await outbox.enqueue(conn, StatusChangedV1(
                incident_id=incident_id, organisation_id=row["organisation_id"], reference=row["reference"],
                status=changes["status"], changed_by=principal.person_id), source=source_of(request))
        return await _detail(conn, incident_id, principal, now)


@router.post("/incidents/{incident_id}/notes", status_code=201)
async def add_note(incident_id: UUID, body: Note, request: Request, principal: Principal = Depends(analist)) -> dict:
    text = check_note(body.text)
    now = clock_of(request).now()
    async with pool_of(request).acquire() as conn, conn.transaction():
        await visible_incident(conn, principal, incident_id, for_update=True)
        note_id = await incidents.add_note(conn, incident_id=incident_id, author=principal.person_id,
                                           text=text, now=now)
    return {"id": note_id, "text": text, "author": str(principal.person_id), "created_at": views.instant(now)}


@router.post("/incidents/{incident_id}/intermediate-requests", status_code=201)
async def ask_intermediate_report(incident_id: UUID, request: Request, body: IntermediateRequest | None = None,
                                  principal: Principal = Depends(analist)) -> dict:
    """Ask the organisation for an intermediate report; notify tells them (it follows the event)."""
    now = clock_of(request).now()
    due = body.due.astimezone(UTC) if body and body.due else None
    if due is not None and due <= now:
        raise DomainError("due", "due_in_past", "Kies een termijn in de toekomst.", "Choose a due date in the future.")
    async with pool_of(request).acquire() as conn, conn.transaction():
        row = await visible_incident(conn, principal, incident_id, for_update=True)
        state = incidents.state_of(row)
        if state is None:
            raise DomainError("stage", "intermediate_not_possible",
                              "Een melding via het openbare formulier kent geen tussentijds verslag.",
                              "A report through the public form has no intermediate report.")
        await incidents.save_state(conn, incident_id, request_intermediate(state), now)
        await outbox.enqueue(conn, IntermediateReportRequestedV1(
            incident_id=incident_id, organisation_id=row["organisation_id"], reference=row["reference"],
            requested_by=principal.person_id, due=due), source=source_of(request))
        return await _detail(conn, incident_id, principal, now)


def _triage_view(row, deadline_rows, now: datetime, close_until: datetime) -> dict:
    item = views.summary(row, deadline_rows, now)
    item.update(severity=row["severity"], assignee=None if row["assignee"] is None else str(row["assignee"]),
                organisation_name=row.get("organisation_name"))
    open_rows = [d for d in deadline_rows if d["closed_at"] is None]
    item["deadlines_missed"] = [d["kind"] for d in open_rows if d["due"] < now]
    item["deadlines_close"] = [d["kind"] for d in open_rows if now <= d["due"] <= close_until]
    return item


def _deadline_matches(item: dict, wanted: str) -> bool:
    missed, close = bool(item["deadlines_missed"]), bool(item["deadlines_close"])
    return {"missed": missed, "close": close, "close_or_missed": missed or close}[wanted]


async def _detail(conn, incident_id: UUID, principal: Principal, now: datetime) -> dict:
    """Everything, including what only the CSIRT sees: triage, notes, the public form's contact."""
    row = await visible_incident(conn, principal, incident_id)
    detail = await organisation_view(conn, incident_id, now)
    detail.update(
        severity=row["severity"], assignee=None if row["assignee"] is None else str(row["assignee"]),
        public_report=row["public_report"],
        internal_notes=[{"id": n["id"], "author": str(n["author"]), "text": n["text"],
                         "created_at": views.instant(n["created_at"])} for n in await incidents.notes(conn, incident_id)],
        attachments=[views.attachment(a) for a in await attachments.of_incident(conn, incident_id)],
    )
    return detail
