"""The products an organisation runs: every member reads the list, the people admin
("beheerder persoon- en organisatiegegevens") keeps it."""
from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field, field_validator
from weerbaar_platform.auth import BEHEERDER_PERSONEN, Principal, current_principal
from weerbaar_platform.errors import Conflict, NotFound

from ..adapters import products as store

router = APIRouter(tags=["products"])


class RunProductIn(BaseModel):
    product: str = Field(min_length=2, max_length=200, description="e.g. 'IOS XE'")
    vendor: str | None = Field(None, max_length=200, description="e.g. 'Cisco'")

    @field_validator("product", "vendor")
    @classmethod
    def _trimmed(cls, value: str | None) -> str | None:
        return " ".join(value.split()) or None if value is not None else None


def _json(row) -> dict[str, Any]:
    return {"id": str(row["id"]), "vendor": row["vendor"], "product": row["product"],
            "added_by": str(row["added_by"]), "added_at": row["added_at"].isoformat()}


@router.get("/organisations/me/products")
async def my_products(request: Request, principal: Principal = Depends(current_principal)) -> list[dict[str, Any]]:
    organisation_id = principal.require_organisation()
    async with request.app.state.runtime.pool.acquire() as conn:
        return [_json(r) for r in await store.list_for(conn, organisation_id)]


@router.post("/organisations/me/products", status_code=201)
async def add_product(body: RunProductIn, request: Request,
                      principal: Principal = Depends(current_principal)) -> dict[str, Any]:
    organisation_id = principal.require_organisation()
    principal.require(BEHEERDER_PERSONEN)
    async with request.app.state.runtime.pool.acquire() as conn:
        row = await store.add(conn, organisation_id, body.vendor, body.product, principal.person_id)
    if row is None:
        raise Conflict("product", "product.already_listed", "Dit product staat al in uw lijst.",
                       "This product is already on your list.")
    return _json(row)


@router.delete("/organisations/me/products/{product_id}", status_code=204)
async def remove_product(product_id: UUID, request: Request, principal: Principal = Depends(current_principal)) -> None:
    organisation_id = principal.require_organisation()
    principal.require(BEHEERDER_PERSONEN)
    async with request.app.state.runtime.pool.acquire() as conn:
        if not await store.remove(conn, organisation_id, product_id):
            raise NotFound("product")
