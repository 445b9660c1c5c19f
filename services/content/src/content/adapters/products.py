"""The products an organisation says it runs ("wat wij draaien"), for "relevant to me"."""
from __future__ import annotations

from uuid import UUID, uuid4

import asyncpg

from ..domain.relevance import RunProduct


async def list_for(conn, organisation_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT id, vendor, product, added_by, added_at FROM organisation_products "
        "WHERE organisation_id = $1 ORDER BY lower(coalesce(vendor, '')), lower(product)", organisation_id)


async def runs_of(conn, organisation_id: UUID | None) -> tuple[RunProduct, ...]:
    if organisation_id is None:
        return ()
    return tuple(RunProduct(product=r["product"], vendor=r["vendor"]) for r in await list_for(conn, organisation_id))


async def add(conn, organisation_id: UUID, vendor: str | None, product: str, added_by: UUID) -> asyncpg.Record | None:
    """The new row, or None when the organisation already lists this product."""
    return await conn.fetchrow(
        "INSERT INTO organisation_products (id, organisation_id, vendor, product, added_by) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id, vendor, product, added_by, added_at",
        uuid4(), organisation_id, vendor, product, added_by)


async def remove(conn, organisation_id: UUID, product_id: UUID) -> bool:
    return await conn.fetchval(
        "DELETE FROM organisation_products WHERE id = $1 AND organisation_id = $2 RETURNING true",
        product_id, organisation_id) or False
