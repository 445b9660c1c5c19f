"""The CSIRT's side of the register: search, exports (CSV, JSON, the EU report form) and the
analyst's override of a classification. Staff roles only (analist, csirt_beheerder)."""
from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from pydantic import BaseModel, Field
from weerbaar_platform.auth import Principal, current_principal

from registry import commands
from registry.adapters import organisations as db
from registry.domain import eu_report
from registry.domain.classification import Nis2Class
from registry.domain.registration import NetcodeImpact
from registry.entrypoints import access, exports, views

router = APIRouter(prefix="/csirt", tags=["csirt"])


async def register_staff(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    access.require_register_staff(principal)
    return principal


StaffDep = Annotated[Principal, Depends(register_staff)]


def filters(
    name: Annotated[str | None, Query(max_length=200, description="part of the legal name")] = None,
    kvk: Annotated[str | None, Query(max_length=8)] = None,
    sector: Annotated[str | None, Query(max_length=100)] = None,
    subsector: Annotated[str | None, Query(max_length=100)] = None,
    classification: Nis2Class | None = None,
    netcode: Annotated[bool | None, Query(description="true: the Netcode applies")] = None,
    netcode_impact: NetcodeImpact | None = None,
    status: Literal["registered", "deregistered"] | None = None,
) -> db.Filters:
    return db.Filters(name=name or None, kvk=kvk or None, sector=sector or None,
                      subsector=subsector or None,
                      classification=classification.value if classification else None,
                      netcode=netcode, netcode_impact=netcode_impact.value if netcode_impact else None,
                      status=status)


FiltersDep = Annotated[db.Filters, Depends(filters)]


async def _rows(request: Request, chosen: db.Filters, **page) -> tuple[list[db.Row], int]:
    async with request.app.state.runtime.pool.acquire() as conn:
        return await db.search(conn, chosen, **page)


@router.get("/organisations")
async def search(request: Request, _: StaffDep, chosen: FiltersDep,
                 page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                 page_size: Annotated[int, Query(ge=1, le=200)] = 50) -> dict[str, Any]:
    rows, total = await _rows(request, chosen, limit=page_size, offset=(page - 1) * page_size)
    return {"items": [views.hit(r) for r in rows], "total": total, "page": page,
            "page_size": page_size}


@router.get("/organisations/export")
async def export(request: Request, _: StaffDep, chosen: FiltersDep,
                 format: Literal["csv", "json"] = "json") -> Response:
    rows, _total = await _rows(request, chosen, limit=None)
    records = [exports.register_record(r) for r in rows]
    if format == "csv":
        return exports.csv_response(records, exports.REGISTER_FIELDS, "register")
    return exports.json_response({"generated_at": exports.generated_at(), "count": len(records),
                                  "organisations": records}, "register")


@router.get("/organisations/eu-report")
async def eu_registry_report(request: Request, _: StaffDep,
                             format: Literal["csv", "json"] = "json") -> Response:
    """NIS2 art. 3(4) and 27: the entities in scope with name, sector, contacts and Member
    States, and the counts per sector of art. 3(5). IP ranges are never part of it."""
    rows, _total = await _rows(request, db.Filters(status="registered"), limit=None)
    report = [eu_report.report_row(r.data, r.final_classification) for r in rows
              if eu_report.belongs_in_report(r.final_classification, r.entity_type, r.status)]
    if format == "csv":
        return exports.csv_response(report, eu_report.FIELDS, "nis2-eu-registry-report")
    return exports.json_response({
        "generated_at": exports.generated_at(), "legal_basis": "NIS2 art. 3(3)-(5), 27",
        "member_state": "NL", "count": len(report), "counts_per_sector":
            eu_report.counts_per_sector(report), "entities": report},
        "nis2-eu-registry-report")


class Override(BaseModel):
    final: Nis2Class
    reason: str = Field(max_length=2000)  # a few sentences, stored in the history and the event


class Lift(BaseModel):
    reason: str = Field("", max_length=2000)


@router.post("/organisations/{org_id}/classification")
async def override_classification(request: Request, response: Response, org_id: UUID,
                                  principal: StaffDep, body: Override,
                                  if_match: Annotated[str | None, Header()] = None
                                  ) -> dict[str, Any]:
    """Set the final classification with a written reason; the derived one is kept."""
    runtime = request.app.state.runtime
    expected = views.expected_version(if_match) if if_match else None
    row = await commands.override_classification(runtime.pool, runtime.source, principal, org_id,
                                                 body.final, body.reason, expected)
    response.headers["ETag"] = views.etag(row.version)
    return views.entry(row)


@router.post("/organisations/{org_id}/classification/lift-override")
async def lift_override(request: Request, response: Response, org_id: UUID,
                        principal: StaffDep, body: Lift) -> dict[str, Any]:
    """Back to the derived classification; the override stays in the history."""
    runtime = request.app.state.runtime
    row = await commands.lift_override(runtime.pool, runtime.source, principal, org_id,
                                       body.reason)
    response.headers["ETag"] = views.etag(row.version)
    return views.entry(row)
