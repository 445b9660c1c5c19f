"""Feed runs by a CSIRT analyst, and each organisation's findings."""
from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from weerbaar_contracts.events.netdata import FindingsReadyV1
from weerbaar_platform import outbox
from weerbaar_platform.auth import ANALIST, CSIRT_BEHEERDER, Principal, current_principal
from weerbaar_platform.errors import DomainError, NotFound

from incidents.adapters import netdata_feedrun as feedrun
from incidents.adapters.netdata_body import spool_limited
from incidents.adapters.netdata_settings import netdata_settings

from .netdata_common import SOURCE, organisation_to_read

router = APIRouter(prefix="/netdata", tags=["netdata"])


@router.post("/feed-runs")
async def run_feed(request: Request, name: str = Query(min_length=1, max_length=200),
                   principal: Principal = Depends(current_principal)):
    """The feed file is the request body (a Shadowserver-style CSV, or a plain list)."""
    principal.require(ANALIST)
    runtime = request.app.state.runtime
    settings = netdata_settings(runtime)
    with tempfile.NamedTemporaryFile(prefix="feed-", suffix=".csv", dir=settings.feed_spool_dir) as spool:
        await spool_limited(request, settings.feed_max_bytes, spool)
        generation, register = await feedrun.current_register(runtime)
        try:
            run = await asyncio.to_thread(feedrun.run_feed, Path(spool.name), register,
                                          settings.evidence_rows_per_finding)
        except feedrun.FeedUnreadable as exc:
            raise DomainError("file", "feed_unreadable", f"De feed is niet te lezen: {exc}.",
                              f"The feed cannot be read: {exc}.") from None
    async with runtime.pool.acquire() as conn, conn.transaction():
        run_id = await feedrun.store_run(conn, name=name, run=run, generation=generation, run_by=principal.person_id)
        for organisation_id, (findings, rows) in sorted(run.per_organisation.items()):
            await outbox.enqueue(conn, FindingsReadyV1(organisation_id=UUID(organisation_id), feed_run_id=run_id,
                                                       feed_name=name, findings=findings, rows=rows), source=SOURCE)
        return await feedrun.run_detail(conn, run_id)


@router.get("/feed-runs")
async def feed_runs(request: Request, principal: Principal = Depends(current_principal)):
    principal.require(ANALIST, CSIRT_BEHEERDER)
    async with request.app.state.runtime.pool.acquire() as conn:
        return {"feed_runs": await feedrun.runs(conn)}


@router.get("/feed-runs/{run_id}")
async def feed_run(run_id: UUID, request: Request, principal: Principal = Depends(current_principal)):
    principal.require(ANALIST, CSIRT_BEHEERDER)
    async with request.app.state.runtime.pool.acquire() as conn:
        detail = await feedrun.run_detail(conn, run_id)
    if detail is None:
        raise NotFound("feed run")
    return detail


@router.get("/findings")
async def finding_sets(request: Request, organisation_id: UUID | None = None,
                       principal: Principal = Depends(current_principal)):
    org = organisation_to_read(principal, organisation_id)
    async with request.app.state.runtime.pool.acquire() as conn:
        return {"organisation_id": str(org), "finding_sets": await feedrun.finding_sets(conn, org)}


@router.get("/findings/{run_id}")
async def findings(run_id: UUID, request: Request, organisation_id: UUID | None = None,
                   principal: Principal = Depends(current_principal)):
    """One run's findings for the organisation; another organisation's are 'not found'."""
    org = organisation_to_read(principal, organisation_id)
    async with request.app.state.runtime.pool.acquire() as conn:
        found = await feedrun.findings(conn, run_id, org)
    if found is None:
        raise NotFound("findings")
    return found
