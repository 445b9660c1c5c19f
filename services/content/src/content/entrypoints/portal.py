"""What the portal shows a reader: the publications their organisation's registration entitles
it to. Anything else is "not found" (404), never "forbidden": a reader must not learn that a
publication for another sector exists. CSIRT staff see everything, drafts included."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timezone
from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from weerbaar_platform.auth import Principal, current_principal
from weerbaar_platform.errors import NotFound

from ..adapters import products as product_store
from ..adapters import publications as store
from . import views
from .access import viewer_for

router = APIRouter(tags=["portal"])


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def _when(row) -> datetime:
    return row["published_at"] or row["updated_at"]


@router.get("/publications")
async def list_publications(
    request: Request, principal: Principal = Depends(current_principal),
    kind: Literal["advisory", "analysis", "news"] | None = None,
    published_from: date | None = Query(None, description="on or after this day (UTC)"),
    published_to: date | None = Query(None, description="on or before this day (UTC)"),
    cve: str | None = Query(None, pattern=r"^(?i:CVE-\d{4}-\d{4,})$"),
    product: str | None = Query(None, min_length=2, max_length=200,
                                description="words of a product name, e.g. 'IOS XE'"),
    probability: Literal["high", "medium", "low"] | None = None,
    damage: Literal["high", "medium", "low"] | None = None,
    urgency: Literal["urgent", "normal"] | None = None,
    min_score: float | None = Query(None, ge=0, le=10, description="lowest CVSS base score"),
    relevant: bool | None = Query(None, description="only advisories about products my organisation runs"),
    state: Literal["draft", "review", "published", "withdrawn"] | None = Query(None, description="staff only"),
    limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0),
) -> dict[str, Any]:
    async with request.app.state.runtime.pool.acquire() as conn:
        viewer = await viewer_for(conn, principal)
        runs = await product_store.runs_of(conn, principal.organisation_id)
        rows = await store.candidates(conn, staff=viewer.csirt_staff)

    def keep(row) -> bool:
        record = row["advisory"] or {}
        rating = record.get("rating") or {}
        return all((
            views.visible_to(row, viewer),
            kind is None or row["kind"] == kind,
            state is None or row["state"] == state,
            published_from is None or _when(row) >= _day_start(published_from),
            published_to is None or _when(row) < _day_start(published_to).replace(hour=23, minute=59, second=59),
            cve is None or cve.upper() in (c.upper() for c in record.get("cves", [])),
            product is None or views.mentions_product(row, product),
            probability is None or rating.get("probability") == probability,
            damage is None or rating.get("damage") == damage,
            urgency is None or rating.get("urgency") == urgency,
            min_score is None or (record.get("max_base_score") or -1) >= min_score,
            relevant is None or bool(views.relevant(row, runs)) == relevant,
        ))

    # Visibility is decided by the domain's rules, row by row, so list and detail can never
    # disagree. A CSIRT publishes thousands of items, not millions.
    found = sorted((r for r in rows if keep(r)), key=_when, reverse=True)
    return {"total": len(found),
            "items": [views.summary(r, viewer, runs) for r in found[offset:offset + limit]]}


async def _readable(conn, publication_id: UUID, principal: Principal):
    viewer = await viewer_for(conn, principal)
    row = await (store.latest if viewer.csirt_staff else store.shown)(conn, publication_id)
    if row is None or not views.visible_to(row, viewer):
        raise NotFound("publication")
    return viewer, row


@router.get("/publications/{publication_id}")
async def publication_detail(publication_id: UUID, request: Request,
                             principal: Principal = Depends(current_principal)) -> dict[str, Any]:
    async with request.app.state.runtime.pool.acquire() as conn:
        viewer, row = await _readable(conn, publication_id, principal)
        runs = await product_store.runs_of(conn, principal.organisation_id)
        versions = [v for v in await store.revisions(conn, publication_id)
                    if v["state"] in store.VISIBLE_STATES and views.visible_to(v, viewer)]
        shown = await store.shown(conn, publication_id)
    # Staff read the newest revision; readers the one that is out. Staff also see what is out.
    body = views.detail(row, viewer, runs, versions)
    if viewer.csirt_staff and shown is not None and shown["revision"] != row["revision"]:
        body["shown_revision"] = shown["revision"]
    return body


@router.get("/publications/{publication_id}/csaf")
async def download_csaf(publication_id: UUID, request: Request, version: str | None = None,
                        principal: Principal = Depends(current_principal)) -> Response:
    """The original CSAF document, byte for byte as it was uploaded; `version` picks an older one."""
    async with request.app.state.runtime.pool.acquire() as conn:
        viewer, row = await _readable(conn, publication_id, principal)
        candidates = [row] if version is None else [
            v for v in await store.revisions(conn, publication_id)
            if v["csaf_version"] == version and (viewer.csirt_staff or (
                v["state"] in store.VISIBLE_STATES and views.visible_to(v, viewer)))]
        if not candidates or candidates[-1]["document_id"] is None:
            raise NotFound("CSAF document")
        document = await store.document_of(conn, candidates[-1]["document_id"])
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{document['tracking_id']}_{document['csaf_version']}").lower()
    return Response(document["raw"], media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}.json"'})
