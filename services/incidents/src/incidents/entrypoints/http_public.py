"""The public report form: no login, as the law wants reporting always possible.

Abuse is bounded before any work is done: a per-client rate limit (counted in PostgreSQL,
so all replicas share it) comes first, then the body size (the declared length, then the
bytes actually read), then the fields' own bounds. The answer carries a reference and never
echoes what was sent.
"""

from __future__ import annotations

import ipaddress
from uuid import uuid4

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from weerbaar_contracts.events.incidents import IncidentReportedV1
from weerbaar_platform import outbox
from weerbaar_platform.errors import DomainError as HttpRefusal
from weerbaar_platform.errors import field_errors_from_pydantic

from incidents.adapters import incidents, rate_limit
from incidents.domain.deadlines import resolve_became_aware, to_amsterdam
from incidents.domain.public_report import PublicReport
from incidents.entrypoints.common import clock_of, pool_of, settings_of, source_of

router = APIRouter(prefix="/public", tags=["public"])


def client_address(request: Request, trusted_proxies: list[str]) -> str:
    """The caller's address; X-Forwarded-For only counts when a trusted proxy (the gateway) sent
    it. A trusted proxy is an address or a network ("10.0.0.0/8", for a gateway whose container
    address is not fixed)."""
    networks = [ipaddress.ip_network(p, strict=False) for p in trusted_proxies]

    def trusted(address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in networks)

    peer = request.client.host if request.client else "unknown"
    if not trusted(peer):
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(hops):  # the right-most address a trusted proxy did not add is the client
        if not trusted(hop):
            return hop
    return peer


class _TooLarge(HttpRefusal):
    def __init__(self, limit: int):
        super().__init__("(body)", "too_large", f"De melding is te groot (meer dan {limit // 1024} kB).",
                         f"The report is too large (more than {limit // 1024} kB).", 413)


async def _read_bounded(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _TooLarge(limit)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _TooLarge(limit)
    return bytes(body)


@router.post("/reports", status_code=201)
async def report_without_login(request: Request) -> JSONResponse:
    settings, clock = settings_of(request), clock_of(request)
    now = clock.now()
    async with pool_of(request).acquire() as conn:
        hits, window_end = await rate_limit.hit(conn, client_address(request, settings.trusted_proxies),
                                                now=now, window_seconds=settings.public_report_rate_window_seconds)
    if hits > settings.public_report_rate_limit:
        wait = max(1, int((window_end - now).total_seconds()))
        raise HttpRefusal("(request)", "rate_limited",
                          f"Te veel meldingen vanaf dit adres; probeer het over {wait // 60 + 1} minuten opnieuw "
                          "of bel het CSIRT.",
                          f"Too many reports from this address; try again in {wait // 60 + 1} minutes "
                          "or call the CSIRT.", 429)
    raw = await _read_bounded(request, settings.public_report_max_bytes)
    try:
        report = PublicReport.model_validate_json(raw or b"{}")
    except ValidationError as exc:
        raise HttpRefusal.many(field_errors_from_pydantic(exc.errors(), skip_location_prefix=False)) from None
    aware = resolve_became_aware(report.became_aware_at, clock=clock) if report.became_aware_at else None

    incident_id = uuid4()
    async with pool_of(request).acquire() as conn, conn.transaction():
        reference = await incidents.next_reference(conn, to_amsterdam(now))
        await incidents.insert(
            conn, id=incident_id, reference=reference, organisation_id=None, channel="public_form",
            title=report.title, statutory=False, became_aware_at=aware.at if aware else None,
            became_aware_input=report.became_aware_at, became_aware_ambiguous=bool(aware and aware.ambiguous),
            became_aware_later=aware.later_alternative if aware else None,
            public_report=report.model_dump(mode="json", exclude={"title", "became_aware_at"}),
            created_at=now, updated_at=now)
        await outbox.enqueue(conn, IncidentReportedV1(
            incident_id=incident_id, organisation_id=None, reference=reference, title=report.title,
            statutory=False), source=source_of(request))
    return JSONResponse(status_code=201, content={
        "reference": reference,
        "message_nl": f"Dank u. Uw melding is ontvangen onder kenmerk {reference}. Het CSIRT neemt zo nodig contact op.",
        "message_en": f"Thank you. Your report was received under reference {reference}. "
                      "The CSIRT will contact you if needed.",
    }, headers={"Cache-Control": "no-store"})
