"""HTTP API: a person's own notification preferences, and looking up a mail by its reference."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict
from weerbaar_platform.auth import Principal, current_principal
from weerbaar_platform.errors import NotFound

from ..domain.categories import LABELS, MANDATORY, Category, Delivery, check_choices, effective

router = APIRouter(tags=["notify"])


class CategoryPreference(BaseModel):
    category: Category
    delivery: Delivery
    mandatory: bool
    label_nl: str
    label_en: str


class Preferences(BaseModel):
    person_id: str
    categories: list[CategoryPreference]


class PreferencesChange(BaseModel):
    """Only the categories named change; the others keep what they were."""

    model_config = ConfigDict(extra="forbid")
    categories: dict[Category, Delivery]


async def _preferences(pool, person_id) -> Preferences:
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT category, delivery FROM preferences WHERE person_id = $1", person_id)
    chosen = {r["category"]: Delivery(r["delivery"]) for r in rows}
    return Preferences(person_id=str(person_id), categories=[
        CategoryPreference(category=c, delivery=effective(c, chosen.get(c.value)), mandatory=c in MANDATORY,
                           label_nl=LABELS[c][0], label_en=LABELS[c][1]) for c in Category])


@router.get("/preferences", response_model=Preferences, summary="My notification preferences")
async def get_preferences(request: Request, principal: Principal = Depends(current_principal)) -> Preferences:
    return await _preferences(request.app.state.runtime.pool, principal.person_id)


@router.put("/preferences", response_model=Preferences, summary="Change my notification preferences",
            description="Per category: `immediately`, `digest` (one mail a day) or `off`. Mandatory categories "
                        "(role changes, statutory deadlines, requests from the CSIRT) are always `immediately`; "
                        "anything else for them is refused with 422.")
async def put_preferences(change: PreferencesChange, request: Request,
                          principal: Principal = Depends(current_principal)) -> Preferences:
    check_choices(change.categories)
    pool = request.app.state.runtime.pool
    async with pool.acquire() as conn, conn.transaction():
        for category, delivery in change.categories.items():
            await conn.execute(
                """INSERT INTO preferences (person_id, category, delivery) VALUES ($1, $2, $3)
                   ON CONFLICT (person_id, category) DO UPDATE SET delivery = excluded.delivery, updated_at = now()""",
                principal.person_id, category.value, delivery.value)
    return await _preferences(pool, principal.person_id)


class MessageStatus(BaseModel):
    reference: str
    kind: str
    recipient: str
    status: str
    attempts: int
    last_error: str | None
    created_at: str
    sent_at: str | None


@router.get("/messages/{reference}", response_model=MessageStatus, summary="What happened to a mail")
async def message_status(reference: str, request: Request,
                         principal: Principal = Depends(current_principal)) -> MessageStatus:
    """For the CSIRT's staff (a person quoted the reference), or the person the mail was for."""
    async with request.app.state.runtime.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT * FROM messages WHERE reference = $1", reference.strip().upper())
    if row is None or not (principal.is_staff or row["person_id"] == principal.person_id):
        raise NotFound("message")
    return MessageStatus(reference=row["reference"], kind=row["kind"], recipient=row["recipient"],
                         status=row["status"], attempts=row["attempts"], last_error=row["last_error"],
                         created_at=row["created_at"].isoformat(),
                         sent_at=row["sent_at"].isoformat() if row["sent_at"] else None)
