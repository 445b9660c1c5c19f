"""Proof of ownership (DNS TXT for domains, an analyst's approval for prefixes and AS
numbers) and the analysts' list of conflicting claims."""
from __future__ import annotations

import secrets
from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from weerbaar_contracts.events.netdata import ClaimProvenV1
from weerbaar_platform import outbox
from weerbaar_platform.auth import ANALIST, BEHEERDER_NETWERK, CSIRT_BEHEERDER, Principal, current_principal
from weerbaar_platform.errors import Conflict, DomainError, NotFound

from incidents.adapters import netdata_store as store
from incidents.adapters.netdata_dns import DnsLookupFailed, txt_lookup
from incidents.adapters.netdata_settings import netdata_settings
from incidents.domain.netdata import Kind, Refused, parse_entry
from incidents.domain.netdata.proof import ProofMethod, challenge_name, challenge_value, check_txt

from .netdata_common import SOURCE

router = APIRouter(prefix="/netdata", tags=["netdata"])


class DomainClaim(BaseModel):
    value: str = Field(min_length=1, max_length=300, description="a registered domain, as registered or as typed")


class ApprovalRequest(BaseModel):
    organisation_id: UUID
    kind: Literal["network", "asn"]
    value: str = Field(min_length=1, max_length=100)


class Resolution(BaseModel):
    resolution: Literal["ownership_confirmed", "claim_rejected", "both_legitimate"]
    note: str | None = Field(None, max_length=2000)


def _canonical(kind: Kind, text: str) -> str:
    """The value as registered; the person may type it as they wrote it in the upload."""
    try:
        parsed = parse_entry(text, kind=kind)
    except Refused as refused:
        r = refused.reason
        raise DomainError("value", r.code, r.message_nl, r.message_en) from None
    if len(parsed.values) != 1:
        raise DomainError("value", "not_one_value", "Geef één waarde, geen bereik.", "Give one value, not a range.")
    return parsed.values[0]


async def _registered(conn, organisation_id: UUID, kind: Kind, value: str) -> None:
    if not await store.is_registered(conn, organisation_id, kind, value):
        raise NotFound("registration")


@router.post("/claims/challenge")
async def challenge(body: DomainClaim, request: Request, principal: Principal = Depends(current_principal)):
    """The TXT record to publish to prove a domain; the same token until it is proven."""
    principal.require(BEHEERDER_NETWERK)
    organisation_id = principal.require_organisation()
    runtime = request.app.state.runtime
    settings = netdata_settings(runtime)
    value = _canonical(Kind.DOMAIN, body.value)
    async with runtime.pool.acquire() as conn, conn.transaction():
        await _registered(conn, organisation_id, Kind.DOMAIN, value)
        token = await store.issue_challenge(conn, organisation_id, Kind.DOMAIN, value, secrets.token_urlsafe(24))
    name = challenge_name(value, settings.dns_challenge_label)
    return {"value": value, "record_name": name, "record_type": "TXT", "record_value": challenge_value(token),
            "instructions_nl": f"Publiceer in DNS het TXT-record {name} met de waarde '{challenge_value(token)}' "
                               "en klik daarna op 'Controleren'.",
            "instructions_en": f"Publish the DNS TXT record {name} with the value '{challenge_value(token)}', "
                               "then choose 'Check'."}


@router.post("/claims/verify")
async def verify(body: DomainClaim, request: Request, principal: Principal = Depends(current_principal)):
    principal.require(BEHEERDER_NETWERK)
    organisation_id = principal.require_organisation()
    runtime = request.app.state.runtime
    settings = netdata_settings(runtime)
    value = _canonical(Kind.DOMAIN, body.value)
    async with runtime.pool.acquire() as conn:
        await _registered(conn, organisation_id, Kind.DOMAIN, value)
        proof = await store.proof(conn, organisation_id, Kind.DOMAIN, value)
    if proof is not None and proof["proven_at"] is not None:
        return {"value": value, "proven": True, "method": proof["method"], "already": True}
    if proof is None or proof["challenge_token"] is None:
        raise Conflict("value", "no_challenge", "Vraag eerst een token aan (challenge) en publiceer dat in DNS.",
                       "Ask for a token (challenge) first and publish it in DNS.")
    name = challenge_name(value, settings.dns_challenge_label)
    try:
        records = await txt_lookup(runtime, settings).txt(name)
    except DnsLookupFailed:
        raise DomainError("value", "dns_unavailable",
                          f"DNS gaf geen antwoord voor {name}. Probeer het later opnieuw.",
                          f"DNS gave no answer for {name}. Try again later.", 503) from None
    check = check_txt(records, proof["challenge_token"], name)
    if not check.proven:
        r = check.reason
        raise DomainError("value", r.code, r.message_nl, r.message_en)
    async with runtime.pool.acquire() as conn, conn.transaction():
        await _registered(conn, organisation_id, Kind.DOMAIN, value)
        if await store.mark_proven(conn, organisation_id, Kind.DOMAIN, value, ProofMethod.DNS_TXT,
                                   principal.person_id):
            await outbox.enqueue(conn, ClaimProvenV1(organisation_id=organisation_id, kind=str(Kind.DOMAIN),
                                                     value=value, method=ProofMethod.DNS_TXT), source=SOURCE)
    return {"value": value, "proven": True, "method": ProofMethod.DNS_TXT}


@router.post("/claims/approve")
async def approve(body: ApprovalRequest, request: Request, principal: Principal = Depends(current_principal)):
    """An analyst confirms that a prefix or AS number belongs to the organisation."""
    principal.require(ANALIST)
    kind = Kind(body.kind)
    value = _canonical(kind, body.value)
    async with request.app.state.runtime.pool.acquire() as conn, conn.transaction():
        await _registered(conn, body.organisation_id, kind, value)
        newly = await store.mark_proven(conn, body.organisation_id, kind, value, ProofMethod.ANALYST_APPROVAL,
                                        principal.person_id)
        if newly:
            await outbox.enqueue(conn, ClaimProvenV1(organisation_id=body.organisation_id, kind=str(kind),
                                                     value=value, method=ProofMethod.ANALYST_APPROVAL), source=SOURCE)
    return {"organisation_id": str(body.organisation_id), "kind": str(kind), "value": value, "proven": True,
            "method": ProofMethod.ANALYST_APPROVAL, "already": not newly}


@router.get("/conflicts")
async def conflicts(request: Request, status: Literal["open", "resolved", "withdrawn", "all"] = "open",
                    principal: Principal = Depends(current_principal)):
    principal.require(ANALIST, CSIRT_BEHEERDER)
    async with request.app.state.runtime.pool.acquire() as conn:
        return {"conflicts": await store.conflicts(conn, None if status == "all" else status)}


@router.post("/conflicts/{conflict_id}/resolve")
async def resolve(conflict_id: UUID, body: Resolution, request: Request,
                  principal: Principal = Depends(current_principal)):
    """Records the analyst's decision; changing a set stays with its organisation (or a new upload)."""
    principal.require(ANALIST)
    async with request.app.state.runtime.pool.acquire() as conn, conn.transaction():
        resolved = await store.resolve_conflict(conn, conflict_id, body.resolution, body.note, principal.person_id)
    if resolved is None:
        raise NotFound("open conflict")
    return resolved
