"""The organisation's side of the register: register, read, update, history, deregister; and
the sector catalogue the registration form is built from."""
from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Depends, Header, Request, Response, status
from pydantic import BaseModel
from weerbaar_platform.auth import Principal, current_principal
from weerbaar_platform.errors import NotFound

from registry import commands
from registry.adapters import organisations as db
from registry.domain.sectors import SECTORS, Sector
from registry.entrypoints import access, views

router = APIRouter(tags=["register"])

RegistrationBody = Annotated[dict[str, Any], Body(
    description="The registration form (see the registry domain's Registration): sector, "
                "subsector, entity_type, kvk_number + rsin or oin, legal_name, addresses, "
                "contacts, member_states, size, netcode.")]
PrincipalDep = Annotated[Principal, Depends(current_principal)]


def _runtime(request: Request):
    return request.app.state.runtime


def _answer(response: Response, row: db.Row) -> dict[str, Any]:
    response.headers["ETag"] = views.etag(row.version)
    return views.entry(row)


@router.post("/organisations", status_code=status.HTTP_201_CREATED)
async def register(request: Request, response: Response, principal: PrincipalDep,
                   body: RegistrationBody) -> dict[str, Any]:
    """Register an organisation. Any logged-in person may do so (also before belonging to an
    organisation); they become its first people admin through identity."""
    runtime = _runtime(request)
    row = await commands.register(runtime.pool, runtime.source, principal, body)
    response.headers["Location"] = f"/organisations/{row.id}"
    return _answer(response, row)


async def _load(request: Request, org_id: UUID) -> db.Row:
    async with _runtime(request).pool.acquire() as conn:
        row = await db.get(conn, org_id)
    if row is None:
        raise NotFound("organisation")
    return row


@router.get("/organisations/{org_id}")
async def read(request: Request, response: Response, org_id: UUID,
               principal: PrincipalDep) -> dict[str, Any]:
    access.may_read(principal, org_id)
    return _answer(response, await _load(request, org_id))


@router.get("/organisations/{org_id}/entitlements")
async def entitlements(request: Request, org_id: UUID, principal: PrincipalDep) -> dict[str, Any]:
    """The services the organisation sees in the portal, and its reporting deadlines."""
    access.may_read(principal, org_id)
    row = await _load(request, org_id)
    return {"organisation_id": str(row.id), "classification": row.final_classification,
            "status": row.status, **row.entitlements}


@router.put("/organisations/{org_id}")
async def update(request: Request, response: Response, org_id: UUID, principal: PrincipalDep,
                 body: RegistrationBody,
                 if_match: Annotated[str | None, Header()] = None) -> dict[str, Any]:
    """Replace the registration. Needs If-Match with the ETag last read: a stale one is 409."""
    access.may_update(principal, org_id)
    expected = views.expected_version(if_match)
    runtime = _runtime(request)
    row = await commands.update(runtime.pool, runtime.source, principal, org_id, body, expected)
    return _answer(response, row)


@router.get("/organisations/{org_id}/history")
async def history(request: Request, org_id: UUID, principal: PrincipalDep) -> dict[str, Any]:
    access.may_read(principal, org_id)
    async with _runtime(request).pool.acquire() as conn:
        versions = await db.history(conn, org_id)
    if not versions:
        raise NotFound("organisation")
    return {"organisation_id": str(org_id), "versions": [views.version(v) for v in versions]}


class Deregistration(BaseModel):
    reason: str


@router.post("/organisations/{org_id}/deregistration")
async def deregister(request: Request, response: Response, org_id: UUID, principal: PrincipalDep,
                     body: Deregistration,
                     if_match: Annotated[str | None, Header()] = None) -> dict[str, Any]:
    """Leave the register (e.g. out of scope). A recorded state: nothing is deleted."""
    access.may_deregister(principal, org_id)
    expected = views.expected_version(if_match) if if_match else None
    runtime = _runtime(request)
    row = await commands.deregister(runtime.pool, runtime.source, principal, org_id,
                                    body.reason, expected)
    return _answer(response, row)


# ------------------------------------------------------------------ the catalogue (public)


def _sector_json(sector: Sector) -> dict[str, Any]:
    def types(items):
        return [{"code": t.code, "name_nl": t.name_nl, "name_en": t.name_en} for t in items]

    return {
        "code": sector.code, "name_nl": sector.name_nl, "name_en": sector.name_en,
        "annex": sector.annex.value if sector.annex else None, "annex_point": sector.annex_point,
        "entity_types": types(sector.entity_types),
        "subsectors": [{"code": s.code, "name_nl": s.name_nl, "name_en": s.name_en,
                        "annex_point": s.annex_point, "entity_types": types(s.entity_types)}
                       for s in sector.subsectors],
    }


@router.get("/sectors", tags=["catalogue"])
async def sectors() -> dict[str, Any]:
    """NIS2 Annex I and II with Dutch and English names; public, like the law it lists."""
    return {"sectors": [_sector_json(s) for s in SECTORS.values()]}
