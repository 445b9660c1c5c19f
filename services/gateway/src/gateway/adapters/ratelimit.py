"""Fixed-window rate limits in PostgreSQL, so that every replica counts the same hits."""
from __future__ import annotations

import asyncpg


async def allow(pool: asyncpg.Pool, bucket: str, limit: int, window_seconds: int = 60) -> bool:
    hits = await pool.fetchval(
        """INSERT INTO rate_limits (bucket, window_start, hits)
           VALUES ($1, to_timestamp(floor(extract(epoch FROM now()) / $2) * $2), 1)
           ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1
           RETURNING hits""", bucket, window_seconds)
    return hits <= limit


async def purge(pool: asyncpg.Pool) -> None:
    await pool.execute("DELETE FROM rate_limits WHERE window_start < now() - interval '1 hour'")
