"""The deadline scheduler: reminders before each statutory deadline and one event when it is
missed, from rows in PostgreSQL.

Any number of replicas run it. Each claims due rows with FOR UPDATE SKIP LOCKED, writes the
event to the outbox and marks the row done in the same transaction: a row is either still
pending (and someone will take it) or done with its event written, never both or neither.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import asyncpg
from weerbaar_contracts.events.incidents import DeadlineApproachingV1, DeadlineMissedV1
from weerbaar_platform import outbox
from weerbaar_platform.service import Runtime

from incidents.adapters import deadlines, rate_limit
from incidents.domain.clock import Clock

log = logging.getLogger(__name__)

_EVENT = {"reminder": DeadlineApproachingV1, "missed": DeadlineMissedV1}


async def run_due_jobs(pool: asyncpg.Pool, *, clock: Clock, source: str, batch: int = 100) -> int:
    """Emit the events of all jobs due now that no other replica holds; returns how many."""
    now = clock.now()
    async with pool.acquire() as conn, conn.transaction():
        jobs = await deadlines.claim_due_jobs(conn, now=now, batch=batch)
        for job in jobs:
            await outbox.enqueue(conn, _EVENT[job["job"]](
                incident_id=job["incident_id"], organisation_id=job["organisation_id"],
                reference=job["reference"], stage=job["deadline_kind"], deadline=job["deadline"]), source=source)
            await deadlines.mark_done(conn, job["id"], now)
    return len(jobs)


async def deadline_scheduler(runtime: Runtime) -> None:
    """Background job of the service: look for due jobs every few seconds."""
    settings, clock = runtime.settings, runtime.extras["clock"]
    while True:
        try:
            while await run_due_jobs(runtime.pool, clock=clock, source=runtime.source,
                                     batch=settings.scheduler_batch) == settings.scheduler_batch:
                pass  # a full batch: there may be more due right now
            async with runtime.pool.acquire() as conn:
                await rate_limit.forget_before(
                    conn, clock.now() - timedelta(seconds=2 * settings.public_report_rate_window_seconds))
        except asyncio.CancelledError:
            raise
        except Exception:
            # The database may be away for a while; the rows wait, nothing is lost.
            log.exception("deadline scheduler round failed; retrying")
        await asyncio.sleep(settings.scheduler_poll_seconds)
