"""Identity's own API: the person's memberships, an organisation's members, roles,
invitations and audit log. The token names the organisation acted for; anything of another
organisation answers 404, as if it did not exist. Roles are read from the database at each
request, so a withdrawn role stops working at once, and one not yet usable does not work yet.

Order of checks on a change: the organisation's row is locked, then the target is looked up,
then the last-admin rule, then the caller's own role. The rule comes before the caller's role
so that of two admins removing each other at the same moment the second hears the reason
(409: appoint another admin first), not merely that they lost their rights a moment ago."""
from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, EmailStr, Field
from weerbaar_platform.auth import CSIRT_BEHEERDER, Forbidden, Principal, current_principal
from weerbaar_platform.errors import NotFound

from ..adapters import audit, store
from ..context import IdentityContext, context_of
from ..domain.roles import admin_role
from ..flows import people

router = APIRouter(tags=["people"])


class RoleIn(BaseModel):
    role: str = Field(min_length=1, max_length=40)


class InvitationIn(BaseModel):
    email: EmailStr
    roles: list[str] = Field(default_factory=lambda: ["gebruiker"], min_length=1, max_length=6)


async def _organisation_acted_for(conn, principal: Principal, organisation_id: UUID, *, lock: bool = False,
                                  check_membership: bool = True):
    if principal.organisation_id != organisation_id:
        raise NotFound("organisation")
    org = await (store.lock_organisation if lock else store.organisation)(conn, organisation_id)
    if org is None:
        raise NotFound("organisation")
    if check_membership and not await store.is_member(conn, organisation_id, principal.person_id):
        raise NotFound("organisation")
    return org


async def _require_admin(conn, ctx: IdentityContext, principal: Principal, org) -> None:
    role = admin_role(org["is_csirt"])
    if role not in await store.usable_roles(conn, org["id"], principal.person_id, ctx.clock()):
        raise Forbidden(role)


async def _readable(conn, ctx: IdentityContext, principal: Principal, organisation_id: UUID):
    """For reading members and the audit log: the organisation's own admin, or a CSIRT admin
    acting for the CSIRT."""
    csirt = ctx.settings.csirt_organisation_id
    if principal.organisation_id == csirt and organisation_id != csirt and CSIRT_BEHEERDER in \
            await store.usable_roles(conn, csirt, principal.person_id, ctx.clock()):
        org = await store.organisation(conn, organisation_id)
        if org is None:
            raise NotFound("organisation")
        return org
    org = await _organisation_acted_for(conn, principal, organisation_id)
    await _require_admin(conn, ctx, principal, org)
    return org


@router.get("/me", summary="Who I am, my organisations and my roles (usable and pending)")
async def me(request: Request, principal: Principal = Depends(current_principal)):
    ctx = context_of(request)
    async with request.app.state.runtime.pool.acquire() as conn:
        who = await store.person(conn, principal.person_id)
        if who is None:
            raise NotFound("person")
        now = ctx.clock()
        organisations = []
        for org in await store.memberships_of(conn, principal.person_id):
            grants = await store.current_grants(conn, org.id, principal.person_id)
            organisations.append({"id": org.id, "name": org.legal_name, "roles": [
                {"role": g["role"], "usable_from": g["usable_from"], "usable": g["usable_from"] <= now}
                for g in grants]})
    return {"person": {"id": who["id"], "name": who["name"], "email": who["email"], "language": who["language"]},
            "acting_organisation_id": principal.organisation_id, "organisations": organisations}


@router.get("/organisations/{organisation_id}/members")
async def list_members(organisation_id: UUID, request: Request, principal: Principal = Depends(current_principal)):
    ctx = context_of(request)
    async with request.app.state.runtime.pool.acquire() as conn:
        await _readable(conn, ctx, principal, organisation_id)
        return {"members": await store.members(conn, organisation_id)}


@router.post("/organisations/{organisation_id}/members/{person_id}/roles", status_code=201)
async def grant_role(organisation_id: UUID, person_id: UUID, body: RoleIn, request: Request,
                     principal: Principal = Depends(current_principal)):
    ctx = context_of(request)
    async with request.app.state.runtime.pool.acquire() as conn, conn.transaction():
        org = await _organisation_acted_for(conn, principal, organisation_id, lock=True)
        await _require_admin(conn, ctx, principal, org)
        when = await people.grant(conn, organisation_id, person_id, body.role, by=principal.person_id,
                                  at=ctx.clock(), delay_seconds=ctx.settings.role_activation_delay_seconds)
    return {"person_id": person_id, "role": body.role, "usable_from": when}


@router.delete("/organisations/{organisation_id}/members/{person_id}/roles/{role}", status_code=204)
async def withdraw_role(organisation_id: UUID, person_id: UUID, role: str, request: Request,
                        principal: Principal = Depends(current_principal)):
    ctx = context_of(request)
    async with request.app.state.runtime.pool.acquire() as conn, conn.transaction():
        org = await _organisation_acted_for(conn, principal, organisation_id, lock=True, check_membership=False)
        if role not in {g["role"] for g in await store.current_grants(conn, organisation_id, person_id)}:
            raise NotFound("role")
        await people.check_keeps_an_admin(conn, organisation_id, person_id, role, at=ctx.clock())
        await _require_admin(conn, ctx, principal, org)
        await people.withdraw(conn, organisation_id, person_id, role, by=principal.person_id, at=ctx.clock())
    return Response(status_code=204)


@router.delete("/organisations/{organisation_id}/members/{person_id}", status_code=204,
               summary="Remove a member (an admin), or leave the organisation (oneself)")
async def remove_member(organisation_id: UUID, person_id: UUID, request: Request,
                        principal: Principal = Depends(current_principal)):
    ctx = context_of(request)
    async with request.app.state.runtime.pool.acquire() as conn, conn.transaction():
        org = await _organisation_acted_for(conn, principal, organisation_id, lock=True, check_membership=False)
        if not await store.is_member(conn, organisation_id, person_id):
            raise NotFound("person")
        await people.check_keeps_an_admin(conn, organisation_id, person_id, None, at=ctx.clock())
        if person_id != principal.person_id:
            await _require_admin(conn, ctx, principal, org)
        await people.remove(conn, organisation_id, person_id, by=principal.person_id, at=ctx.clock())
    return Response(status_code=204)


@router.post("/organisations/{organisation_id}/invitations", status_code=201,
             summary="Invite a colleague by e-mail; they accept by logging in for this organisation")
async def invite(organisation_id: UUID, body: InvitationIn, request: Request,
                 principal: Principal = Depends(current_principal)):
    ctx = context_of(request)
    async with request.app.state.runtime.pool.acquire() as conn, conn.transaction():
        org = await _organisation_acted_for(conn, principal, organisation_id, lock=True)
        await _require_admin(conn, ctx, principal, org)
        invitation_id = await people.invite(conn, organisation_id, str(body.email), body.roles,
                                            by=principal.person_id, at=ctx.clock(),
                                            lifetime_days=ctx.settings.invitation_lifetime_days)
    return {"id": invitation_id, "email": body.email, "roles": sorted(set(body.roles))}


@router.get("/organisations/{organisation_id}/invitations")
async def list_invitations(organisation_id: UUID, request: Request, principal: Principal = Depends(current_principal)):
    ctx = context_of(request)
    async with request.app.state.runtime.pool.acquire() as conn:
        org = await _organisation_acted_for(conn, principal, organisation_id)
        await _require_admin(conn, ctx, principal, org)
        return {"invitations": await store.invitations(conn, organisation_id)}


@router.delete("/organisations/{organisation_id}/invitations/{invitation_id}", status_code=204)
async def withdraw_invitation(organisation_id: UUID, invitation_id: UUID, request: Request,
                              principal: Principal = Depends(current_principal)):
    ctx = context_of(request)
    async with request.app.state.runtime.pool.acquire() as conn, conn.transaction():
        org = await _organisation_acted_for(conn, principal, organisation_id, lock=True)
        await _require_admin(conn, ctx, principal, org)
        if not await store.set_invitation_status(conn, invitation_id, organisation_id, "withdrawn"):
            raise NotFound("invitation")
        await audit.record(conn, at=ctx.clock(), kind="invitation_withdrawn", outcome="ok",
                           organisation_id=organisation_id, actor_id=principal.person_id, invitation_id=invitation_id)
    return Response(status_code=204)


@router.get("/organisations/{organisation_id}/audit",
            summary="Logins, role changes and invitations of an organisation (its admin, or a CSIRT admin)")
async def audit_log(organisation_id: UUID, request: Request, principal: Principal = Depends(current_principal),
                    limit: int = Query(100, ge=1, le=500), before: int | None = None):
    ctx = context_of(request)
    async with request.app.state.runtime.pool.acquire() as conn:
        await _readable(conn, ctx, principal, organisation_id)
        return {"entries": await audit.entries(conn, organisation_id, limit=limit, before=before)}


@router.post("/admin/signing-keys/rotate", summary="Rotate the access-token signing key (CSIRT admin)")
async def rotate_keys(request: Request, principal: Principal = Depends(current_principal)):
    ctx = context_of(request)
    csirt = ctx.settings.csirt_organisation_id
    async with request.app.state.runtime.pool.acquire() as conn:
        if principal.organisation_id != csirt or CSIRT_BEHEERDER not in await store.usable_roles(
                conn, csirt, principal.person_id, ctx.clock()):
            raise Forbidden(CSIRT_BEHEERDER)
    kid = await ctx.keyring.rotate()
    return {"kid": kid, "published": [k["kid"] for k in ctx.keyring.jwks()["keys"]]}
