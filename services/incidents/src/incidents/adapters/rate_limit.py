"""A fixed-window counter in PostgreSQL, so every replica counts against the same limit."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import asyncpg


def client_hash(address: str) -> str:
    # Counting needs only equality; keeping the hash instead of the address keeps no IPs.
    return hashlib.sha256(f"weerbaar-public-form:{address}".encode()).hexdigest()


async def hit(conn: asyncpg.Connection, client: str, *, now: datetime, window_seconds: int) -> tuple[int, datetime]:
    """Count one request; returns the count in this window and when the window ends."""
    epoch = int(now.timestamp())
    start = datetime.fromtimestamp(epoch - epoch % window_seconds, UTC)
    hits = await conn.fetchval(
        """INSERT INTO public_form_hits (client_hash, window_start, hits) VALUES ($1, $2, 1)
           ON CONFLICT (client_hash, window_start) DO UPDATE SET hits = public_form_hits.hits + 1
           RETURNING hits""",
        client_hash(client), start)
    return hits, start + timedelta(seconds=window_seconds)


async def forget_before(conn: asyncpg.Connection, moment: datetime) -> None:
    await conn.execute("DELETE FROM public_form_hits WHERE window_start < $1", moment)
