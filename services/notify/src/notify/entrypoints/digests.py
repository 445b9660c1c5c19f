"""The daily digest job: one mail a day per person who chose the digest for some category,
with every item that waited for it. Safe with replicas: items are locked with SKIP LOCKED and
the digest's event id (person + day) is unique, so a person gets at most one digest a day."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timezone

import asyncpg

from ..adapters.delivery import WAKE_CHANNEL
from ..adapters.rendering import Renderer
from ..domain.digest import digest_key, due_digest

log = logging.getLogger(__name__)


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


async def send_digests(pool: asyncpg.Pool, renderer: Renderer, *, now: datetime, hour: int, zone: str) -> int:
    """Store the digests due at `now`; returns how many were stored."""
    due = due_digest(now, hour=hour, zone=zone)
    async with pool.acquire() as conn:
        people = await conn.fetch("SELECT DISTINCT person_id FROM messages WHERE status = 'held' AND created_at <= $1",
                                  due.cutoff)
    stored = 0
    for row in people:
        async with pool.acquire() as conn, conn.transaction():
            stored += await _digest_for(conn, renderer, row["person_id"], due)
    return stored


async def _digest_for(conn: asyncpg.Connection, renderer: Renderer, person_id, due) -> int:
    items = await conn.fetch(
        """SELECT id, reference, kind, context FROM messages
           WHERE status = 'held' AND person_id = $1 AND created_at <= $2
           ORDER BY created_at, id FOR UPDATE SKIP LOCKED""", person_id, due.cutoff)
    person = await conn.fetchrow("SELECT name, email, language FROM persons WHERE id = $1", person_id)
    if not items or person is None:
        return 0
    context = {"name": person["name"], "day": due.day.strftime("%d-%m-%Y"), "path": "/", "items": [
        {"reference": i["reference"], "path": i["context"].get("path"),
         "subject_nl": renderer.subject(i["kind"], "nl", i["context"]),
         "subject_en": renderer.subject(i["kind"], "en", i["context"])} for i in items]}
    digest_id = await conn.fetchval(
        """INSERT INTO messages (event_id, recipient, person_id, kind, category, language, context, status)
           VALUES ($1, lower($2), $3, 'digest', 'digest', $4, $5, 'queued')
           ON CONFLICT (event_id, recipient) DO NOTHING RETURNING id""",
        digest_key(person_id, due.day), person["email"], person_id, person["language"], context)
    if digest_id is None:
        return 0  # today's digest already went out; these items wait for tomorrow's
    await conn.execute("UPDATE messages SET status = 'digested', digest_id = $2 WHERE id = ANY($1::uuid[])",
                       [i["id"] for i in items], digest_id)
    await conn.execute("SELECT pg_notify($1, '')", WAKE_CHANNEL)
    return 1


async def run_digests(runtime) -> None:
    """Background job of the service. The clock is `runtime.extras['clock']` (tests set it)."""
    settings = runtime.settings
    while True:
        clock: Callable[[], datetime] = runtime.extras.get("clock", system_clock)
        try:
            stored = await send_digests(runtime.pool, runtime.extras["renderer"], now=clock(),
                                        hour=settings.digest_hour, zone=settings.timezone)
            if stored:
                log.info("stored daily digests", extra={"digests": stored})
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            log.warning("digest job pausing: %r", exc)
        await asyncio.sleep(settings.digest_poll_seconds)
