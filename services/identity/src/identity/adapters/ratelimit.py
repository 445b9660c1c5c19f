"""Login attempts per client IP and per account, counted in PostgreSQL in fixed windows so the
limit holds across all replicas (an in-memory count would multiply it by the replica count)."""
from __future__ import annotations

import time
from datetime import datetime, timezone

import asyncpg


async def hit(pool: asyncpg.Pool, bucket: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt; False when the bucket is over its limit in the current window."""
    start = int(time.time()) // window_seconds * window_seconds
    hits = await pool.fetchval(
        "INSERT INTO login_attempts (bucket, window_start, hits) VALUES ($1, $2, 1) "
        "ON CONFLICT (bucket, window_start) DO UPDATE SET hits = login_attempts.hits + 1 RETURNING hits",
        bucket, datetime.fromtimestamp(start, timezone.utc))
    return hits <= limit


async def forget_old(pool: asyncpg.Pool, window_seconds: int) -> None:
    await pool.execute("DELETE FROM login_attempts WHERE window_start < now() - make_interval(secs => $1)",
                       float(2 * window_seconds))
