"""What the network-data routes share: who may see which organisation, and how outcomes read
as JSON."""
from __future__ import annotations

from uuid import UUID

from fastapi.responses import JSONResponse
from weerbaar_platform import correlation
from weerbaar_platform.auth import Principal
from weerbaar_platform.errors import NotFound

from incidents.domain.errors import Notice
from incidents.domain.netdata import EntryOutcome, Status, UploadResult

SOURCE = "/weerbaar/incidents"


def organisation_to_read(principal: Principal, organisation_id: UUID | None) -> UUID:
    """Staff may name any organisation; everyone else reads their own (another's is 404)."""
    if principal.is_staff and organisation_id is not None:
        return organisation_id
    own = principal.require_organisation()
    if organisation_id is not None and organisation_id != own:
        raise NotFound("organisation")
    return own


def notice_json(n: Notice) -> dict:
    return {"code": n.code, "message_nl": n.message_nl, "message_en": n.message_en}


def outcome_json(o: EntryOutcome) -> dict:
    return {
        "line": o.line, "input": o.input, "status": str(o.status),
        "kind": str(o.kind) if o.kind else None, "values": list(o.values),
        "warnings": [notice_json(w) for w in o.warnings],
        "refusal": notice_json(o.refusal) if o.refusal else None,
        "notes": [notice_json(n) for n in o.notes], "comment": o.comment,
    }


def report_json(result: UploadResult) -> dict:
    counts = {str(s): 0 for s in Status}
    for o in result.outcomes:
        counts[str(o.status)] += 1
    return {"format": result.format, "header": list(result.header),
            "problems": [notice_json(p) for p in result.problems],
            "summary": counts, "outcomes": [outcome_json(o) for o in result.outcomes]}


def refusal_response(status: int, field: str, code: str, nl: str, en: str, **extra) -> JSONResponse:
    """The platform's error body (``errors`` with both languages), plus what helps fix it."""
    body = {"errors": [{"field": field, "code": code, "message_nl": nl, "message_en": en}],
            "correlation_id": correlation.current(), **extra}
    return JSONResponse(body, status_code=status)
