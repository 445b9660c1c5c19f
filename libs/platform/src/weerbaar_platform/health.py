"""/healthz: the process is alive. /readyz: its database and Kafka answer (checked each call,
with short timeouts, so it turns unready when either goes away and ready when it returns)."""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


async def _database(pool) -> str | None:
    try:
        async with pool.acquire(timeout=2) as conn:
            await conn.fetchval("SELECT 1", timeout=2)
        return None
    except Exception as exc:
        return f"database: {type(exc).__name__}"


async def _kafka(broker) -> str | None:
    try:
        return None if await broker.ping(timeout=2) else "kafka: no answer"
    except Exception as exc:
        return f"kafka: {type(exc).__name__}"


@router.get("/healthz", include_in_schema=False)
async def healthz() -> dict:
    return {"status": "alive"}


@router.get("/readyz", include_in_schema=False)
async def readyz(request: Request):
    runtime = request.app.state.runtime
    problems = [p for p in await asyncio.gather(_database(runtime.pool), _kafka(runtime.broker)) if p]
    if problems:
        return JSONResponse({"status": "unready", "problems": problems}, status_code=503)
    return {"status": "ready"}
