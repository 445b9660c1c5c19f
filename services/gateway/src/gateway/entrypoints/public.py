"""What anyone may read without logging in: security.txt (RFC 9116)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse

from .web import settings_of

router = APIRouter(include_in_schema=False)


def security_txt(*, contact: str, public_url: str, valid_days: int, now: datetime) -> str:
    # Expires is rolled forward from start-up/now so that a running portal never serves a stale
    # file; RFC 9116 asks for less than a year ahead.
    expires = (now + timedelta(days=valid_days)).replace(microsecond=0)
    base = public_url.rstrip("/")
    return (f"Contact: {contact}\n"
            f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}\n"
            "Preferred-Languages: nl, en\n"
            f"Canonical: {base}/.well-known/security.txt\n")


@router.get("/.well-known/security.txt")
async def well_known_security_txt(request: Request):
    settings = settings_of(request)
    return PlainTextResponse(security_txt(contact=settings.security_contact, public_url=settings.public_url,
                                          valid_days=settings.security_txt_valid_days,
                                          now=datetime.now(timezone.utc)))
