"""The organisation's side: open an incident, keep drafts, submit the NIS2 stages in order,
and read its own incidents back (never the CSIRT's internal notes)."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Body, Depends, Request
from pydantic import BaseModel, ConfigDict, Field
from weerbaar_contracts.events.incidents import IncidentReportedV1, StageSubmittedV1
from weerbaar_platform import outbox
from weerbaar_platform.auth import Principal, current_principal
from weerbaar_platform.errors import NotFound

from incidents.adapters import deadlines, incidents, organisations
from incidents.domain.deadlines import resolve_became_aware, resolve_incident_end, to_amsterdam
from incidents.domain.reporting import (
    STAGE_MODELS,
    Stage,
    SubmittedReport,
    open_reporting,
    problems_in,
    record_incident_end,
    submit_stage,
)
from incidents.domain.stix import IncidentExport, Organisation, to_stix_bundle
from incidents.domain.text import Title
from incidents.entrypoints import views
from incidents.entrypoints.detail import organisation_view
from incidents.entrypoints.common import (
    clock_of,
    field_errors,
    own_incident,
    pool_of,
    require_member,
    source_of,
    visible_incident,
)

router = APIRouter(prefix="/incidents", tags=["incidents"])


class OpenIncident(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title
    #: ISO 8601, with offset ("2025-10-26T02:30:00+02:00") or without (read as Europe/Amsterdam).
    became_aware_at: str = Field(min_length=1, max_length=40)


class SubmitStage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: The stage's fields; left out, the saved draft of this stage is submitted.
    data: dict[str, Any] | None = None


class IncidentEnded(BaseModel):
    model_config = ConfigDict(extra="forbid")

    incident_ended_at: str = Field(min_length=1, max_length=40)


@router.post("", status_code=201)
async def open_incident(body: OpenIncident, request: Request,
                        principal: Principal = Depends(current_principal)) -> dict:
    organisation_id = require_member(principal)
    clock = clock_of(request)
    moment = resolve_became_aware(body.became_aware_at, clock=clock)  # refuses before any write
    now = clock.now()
    incident_id = uuid4()
    async with pool_of(request).acquire() as conn, conn.transaction():
        organisation = await organisations.get(conn, organisation_id)
        # Not yet known from the register: count the statutory deadlines, the safer mistake.
        statutory = True if organisation is None else organisation["statutory"]
        state, open_deadlines = open_reporting(in_nis2_scope=statutory, became_aware_at=moment.at)
        await incidents.insert(
            conn, id=incident_id, reference=await incidents.next_reference(conn, to_amsterdam(now)),
            organisation_id=organisation_id, channel="portal", title=body.title, statutory=statutory,
            became_aware_at=moment.at, became_aware_input=body.became_aware_at,
            became_aware_ambiguous=moment.ambiguous, became_aware_later=moment.later_alternative,
            reporting_state=state.model_dump(mode="json"), reported_by=principal.person_id,
            created_at=now, updated_at=now)
        await deadlines.sync(conn, incident_id, open_deadlines, now=now)
        detail = await organisation_view(conn, incident_id, now)
    detail["notices"] = [views.notice(moment.notice)] if moment.notice else []
    return detail


@router.get("")
async def list_incidents(request: Request, principal: Principal = Depends(current_principal)) -> dict:
    organisation_id = require_member(principal)
    now = clock_of(request).now()
    async with pool_of(request).acquire() as conn:
        rows = await incidents.list_for(conn, organisation_id=organisation_id)
        items = [views.summary(r, await deadlines.of_incident(conn, r["id"]), now) for r in rows]
    return {"items": items}


@router.get("/{incident_id}")
async def get_incident(incident_id: UUID, request: Request,
                       principal: Principal = Depends(current_principal)) -> dict:
    async with pool_of(request).acquire() as conn:
        await own_incident(conn, principal, incident_id)
        return await organisation_view(conn, incident_id, clock_of(request).now())


@router.put("/{incident_id}/drafts/{stage}")
async def save_draft(incident_id: UUID, stage: Stage, request: Request,
                     data: dict[str, Any] = Body(...),
                     principal: Principal = Depends(current_principal)) -> dict:
    """Keep whatever was typed, as typed; say what still stands between it and submitting."""
    now = clock_of(request).now()
    async with pool_of(request).acquire() as conn, conn.transaction():
        await own_incident(conn, principal, incident_id, for_update=True)
        await incidents.save_draft(conn, incident_id=incident_id, stage=stage.value, data=data,
                                   saved_at=now, saved_by=principal.person_id)
        await conn.execute("UPDATE incidents SET updated_at = $2 WHERE id = $1", incident_id, now)
    problems = [e.as_dict() for p in problems_in(stage, data) for e in field_errors(p)]
    return {"stage": stage.value, "data": data, "saved_at": views.instant(now), "problems": problems}


@router.get("/{incident_id}/drafts/{stage}")
async def get_draft(incident_id: UUID, stage: Stage, request: Request,
                    principal: Principal = Depends(current_principal)) -> dict:
    async with pool_of(request).acquire() as conn:
        await own_incident(conn, principal, incident_id)
        row = await incidents.draft(conn, incident_id, stage.value)
    if row is None:
        raise NotFound("draft")
    return views.draft(row)


@router.post("/{incident_id}/stages/{stage}", status_code=201)
async def submit(incident_id: UUID, stage: Stage, request: Request, body: SubmitStage | None = None,
                 principal: Principal = Depends(current_principal)) -> dict:
    """Submit one stage. Every check happens before the first write, in one transaction: a
    refused submission changes nothing that is stored."""
    clock = clock_of(request)
    async with pool_of(request).acquire() as conn, conn.transaction():
        row = await own_incident(conn, principal, incident_id, for_update=True)
        state = incidents.state_of(row)
        data = body.data if body else None
        if data is None:
            saved = await incidents.draft(conn, incident_id, stage.value)
            data = saved["data"] if saved else {}
        version = await incidents.next_version(conn, incident_id)
        submission = submit_stage(state, stage, data, clock=clock, version=version)
        report = submission.report
        await incidents.insert_report(
            conn, incident_id=incident_id, version=version, stage=stage.value,
            content=report.content.model_dump(mode="json"), submitted_at=report.submitted_at,
            submitted_by=principal.person_id, late=report.late)
        await incidents.save_state(conn, incident_id, submission.state, report.submitted_at)
        await incidents.delete_draft(conn, incident_id, stage.value)
        await deadlines.sync(conn, incident_id, submission.deadlines, now=report.submitted_at)
        await _announce(conn, request, row, principal, stage, version, submission.deadlines)
        detail = await organisation_view(conn, incident_id, report.submitted_at)
    detail["submitted"] = {"stage": stage.value, "version": version, "late": report.late}
    return detail


@router.post("/{incident_id}/end")
async def incident_ended(incident_id: UUID, body: IncidentEnded, request: Request,
                         principal: Principal = Depends(current_principal)) -> dict:
    """The incident is over: after a progress report this starts the final report's month."""
    clock = clock_of(request)
    ended = resolve_incident_end(body.incident_ended_at)  # refuses before any read or write
    now = clock.now()
    async with pool_of(request).acquire() as conn, conn.transaction():
        row = await own_incident(conn, principal, incident_id, for_update=True)
        state, open_deadlines = record_incident_end(incidents.state_of(row), ended.at, clock=clock)
        await incidents.save_state(conn, incident_id, state, now)
        await deadlines.sync(conn, incident_id, open_deadlines, now=now)
        return await organisation_view(conn, incident_id, now)


@router.get("/{incident_id}/stix")
async def export_stix(incident_id: UUID, request: Request,
                      principal: Principal = Depends(current_principal)) -> dict:
    """The submitted stages as a STIX 2.1 bundle (drafts are never shared)."""
    async with pool_of(request).acquire() as conn:
        row = await visible_incident(conn, principal, incident_id)
        organisation = await organisations.get(conn, row["organisation_id"]) if row["organisation_id"] else None
        kept = await incidents.reports(conn, incident_id)
    reports = [SubmittedReport(stage=Stage(r["stage"]), version=r["version"], submitted_at=r["submitted_at"],
                               content=STAGE_MODELS[Stage(r["stage"])].model_validate(r["content"]),
                               late=r["late"]) for r in kept]
    name = organisation["name"] if organisation else "Onbekende organisatie / unknown organisation"
    return to_stix_bundle(IncidentExport(
        id=str(incident_id), organisation=Organisation(id=str(row["organisation_id"]), name=name),
        title=row["title"], reports=reports))


async def _announce(conn, request: Request, row, principal: Principal, stage: Stage, version: int,
                    open_deadlines) -> None:
    source = source_of(request)
    if version == 1:
        await outbox.enqueue(conn, IncidentReportedV1(
            incident_id=row["id"], organisation_id=row["organisation_id"], reference=row["reference"],
            title=row["title"], statutory=row["statutory"], reported_by=principal.person_id), source=source)
    upcoming = min(open_deadlines, key=lambda d: d.due, default=None)
    await outbox.enqueue(conn, StageSubmittedV1(
        incident_id=row["id"], organisation_id=row["organisation_id"], reference=row["reference"],
        stage=stage.value, submitted_by=principal.person_id,
        next_stage=upcoming.kind.value if upcoming else None,
        next_deadline=upcoming.due if upcoming else None), source=source)
