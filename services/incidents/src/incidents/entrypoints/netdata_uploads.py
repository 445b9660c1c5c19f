"""Uploads of network data by a beheerder netwerkgegevens, and reading the set back.

``POST /netdata/uploads`` takes the file itself as the request body (text, CSV or JSON; any
content type), so it is read as it streams and refused by size before it is read whole.
"""
from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Request
from weerbaar_contracts.events.netdata import ConflictRaisedV1, NetworkDataChangedV1
from weerbaar_platform import outbox
from weerbaar_platform.auth import BEHEERDER_NETWERK, Principal, current_principal
from weerbaar_platform.errors import NotFound

from incidents.adapters import netdata_store as store
from incidents.adapters.netdata_body import read_limited
from incidents.adapters.netdata_settings import netdata_settings
from incidents.domain.netdata import ChangeMode, Kind, Status, change_registrations, parse_upload

from .netdata_common import SOURCE, organisation_to_read, refusal_response, report_json

router = APIRouter(prefix="/netdata", tags=["netdata"])


@router.post("/uploads")
async def upload(
    request: Request,
    mode: ChangeMode = Query(ChangeMode.REPLACE, description="replace the set, or add to / remove from it"),
    kind: Literal["mixed", "network", "asn", "domain"] = Query("mixed", description="what the list holds"),
    dry_run: bool = Query(False, description="only check the file; change nothing"),
    partial: bool = Query(False, description="apply the accepted lines even when some are refused"),
    filename: str | None = Query(None, max_length=255),
    principal: Principal = Depends(current_principal),
):
    principal.require(BEHEERDER_NETWERK)
    organisation_id = principal.require_organisation()
    runtime = request.app.state.runtime
    settings = netdata_settings(runtime)
    data = await read_limited(request, settings.upload_max_bytes)
    result = await asyncio.to_thread(parse_upload, data, kind=None if kind == "mixed" else Kind(kind),
                                     warn_documentation=settings.warn_documentation)
    report = report_json(result)
    if result.problems:
        p = result.problems[0]
        return refusal_response(422, "file", p.code, p.message_nl, p.message_en, applied=False, report=report)
    if not result.outcomes:
        return refusal_response(422, "file", "no_entries", "Het bestand bevat geen enkele regel met gegevens.",
                                "The file holds no line with data.", applied=False, report=report)
    refused = report["summary"][Status.REFUSED]
    if dry_run:
        return {"applied": False, "dry_run": True, "report": report}
    if refused and not partial:
        return refusal_response(
            422, "file", "upload_has_refused_lines",
            f"{refused} regel(s) zijn geweigerd; er is niets gewijzigd. Verbeter die regels, of upload "
            "opnieuw met partial=true om alleen de geaccepteerde regels te verwerken.",
            f"{refused} line(s) were refused; nothing was changed. Correct those lines, or upload again "
            "with partial=true to apply only the accepted lines.", applied=False, report=report)
    incoming = result.registrations()
    if mode is ChangeMode.REPLACE and not incoming:
        return refusal_response(422, "file", "would_empty_set",
                                "Met deze upload zou de hele set leeg worden. Gebruik 'remove' om waarden weg te halen.",
                                "This upload would empty the whole set. Use 'remove' to take values away.",
                                applied=False, report=report)
    upload_meta = {"filename": filename, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                   "format": result.format, "kind": kind, "summary": report["summary"]}
    async with runtime.pool.acquire() as conn, conn.transaction():
        await store.bump_generation(conn)  # serialises changes: conflicts are seen both ways
        version, current = await store.current_set(conn, organisation_id)
        change = change_registrations(current, incoming, mode)
        if change.is_empty:
            return {"applied": False, "set_version": version, "change": _change_json(change), "conflicts": [],
                    "report": report}
        version += 1
        await store.store_change(conn, organisation_id, version, str(mode), change, upload_meta, principal.person_id)
        raised = []
        for conflict in await store.find_conflicts(conn, organisation_id, change.added):
            conflict_id = await store.insert_conflict(conn, organisation_id, conflict)
            if conflict_id is None:
                continue
            raised.append({"id": str(conflict_id), "kind": str(conflict.kind), "value": conflict.value,
                           "reason": conflict.reason})
            await outbox.enqueue(conn, ConflictRaisedV1(
                organisation_id=organisation_id, kind=str(conflict.kind), value=conflict.value,
                other_organisation_ids=[UUID(o) for o in conflict.other_organisation_ids],
                conflict_id=conflict_id, reason=conflict.reason), source=SOURCE)
        counts = Counter(r.kind for r in change.new)
        await outbox.enqueue(conn, NetworkDataChangedV1(
            organisation_id=organisation_id, set_version=version, prefixes=counts[Kind.NETWORK],
            asns=counts[Kind.ASN], domains=counts[Kind.DOMAIN], changed_by=principal.person_id,
            mode=str(mode), added=len(change.added), removed=len(change.removed)), source=SOURCE)
    return {"applied": True, "set_version": version, "change": _change_json(change), "conflicts": raised,
            "report": report}


def _change_json(change) -> dict:
    values = lambda regs: [{"kind": str(r.kind), "value": r.value}  # noqa: E731
                           for r in sorted(regs, key=lambda r: (r.kind, r.value))]
    return {"added": values(change.added), "removed": values(change.removed), "not_found": values(change.not_found)}


@router.get("/registrations")
async def registrations(request: Request, organisation_id: UUID | None = None,
                        principal: Principal = Depends(current_principal)):
    """The current set, each value with its proof status and whether an analyst reviews it."""
    org = organisation_to_read(principal, organisation_id)
    async with request.app.state.runtime.pool.acquire() as conn:
        version, _ = await store.current_set(conn, org)
        return {"organisation_id": str(org), "set_version": version,
                "registrations": await store.registrations(conn, org)}


@router.get("/versions")
async def versions(request: Request, organisation_id: UUID | None = None,
                   principal: Principal = Depends(current_principal)):
    org = organisation_to_read(principal, organisation_id)
    async with request.app.state.runtime.pool.acquire() as conn:
        return {"organisation_id": str(org), "versions": await store.versions(conn, org)}


#: Versions are numbered from 1 in a PostgreSQL integer column; a number beyond it cannot exist.
MAX_VERSION = 2**31 - 1


@router.get("/versions/{number}")
async def version(request: Request, number: int = Path(ge=1, le=MAX_VERSION), organisation_id: UUID | None = None,
                  principal: Principal = Depends(current_principal)):
    org = organisation_to_read(principal, organisation_id)
    async with request.app.state.runtime.pool.acquire() as conn:
        found = await store.version(conn, org, number)
    if found is None:
        raise NotFound("version")
    return {"organisation_id": str(org), **found}
