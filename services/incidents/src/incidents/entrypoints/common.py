"""What every route of this service shares: its parts, who may see which incident, and how a
refusal by the domain becomes an HTTP answer."""

from __future__ import annotations

from uuid import UUID

import asyncpg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from weerbaar_platform import correlation
from weerbaar_platform.auth import ANALIST, ORGANISATION_ROLES, Forbidden, Principal
from weerbaar_platform.errors import FieldError, NotFound

from incidents.adapters import incidents
from incidents.adapters.storage import AttachmentStorage
from incidents.domain.clock import Clock
from incidents.domain.errors import DomainError
from incidents.settings import IncidentsSettings


def clock_of(request: Request) -> Clock:
    return request.app.state.runtime.extras["clock"]


def storage_of(request: Request) -> AttachmentStorage:
    return request.app.state.runtime.extras["attachment_storage"]


def settings_of(request: Request) -> IncidentsSettings:
    return request.app.state.runtime.settings


def pool_of(request: Request) -> asyncpg.Pool:
    return request.app.state.runtime.pool


def source_of(request: Request) -> str:
    return request.app.state.runtime.source


# --- who sees what ------------------------------------------------------------------------


def require_member(principal: Principal) -> UUID:
    """A person acting for an organisation, in any of its roles."""
    organisation_id = principal.require_organisation()
    if not principal.has(*ORGANISATION_ROLES):
        raise Forbidden(" / ".join(ORGANISATION_ROLES))
    return organisation_id


async def own_incident(conn: asyncpg.Connection, principal: Principal, incident_id: UUID, *,
                       for_update: bool = False) -> asyncpg.Record:
    """An incident of the caller's own organisation. Another organisation's incident gets the
    same 404 as one that does not exist, so nobody learns that it does."""
    organisation_id = require_member(principal)
    row = await incidents.get(conn, incident_id, for_update=for_update)
    if row is None or row["organisation_id"] != organisation_id:
        raise NotFound("incident")
    return row


async def visible_incident(conn: asyncpg.Connection, principal: Principal, incident_id: UUID, *,
                           for_update: bool = False) -> asyncpg.Record:
    """Own organisation's incident, or any incident for the CSIRT's analysts."""
    if principal.has(ANALIST):
        row = await incidents.get(conn, incident_id, for_update=for_update)
        if row is None:
            raise NotFound("incident")
        return row
    return await own_incident(conn, principal, incident_id, for_update=for_update)


# --- refusals by the domain ----------------------------------------------------------------

#: Refusals that are about the state the incident is in, not about what was typed.
_STATUS_BY_CODE = {"too_large": 413}


def status_for(error: DomainError) -> int:
    if error.code in _STATUS_BY_CODE:
        return _STATUS_BY_CODE[error.code]
    return 409 if error.field == "stage" else 422


def field_errors(error: DomainError) -> list[FieldError]:
    return [FieldError(e.field or "(body)", e.code, e.message_nl, e.message_en)
            for e in (error.details or (error,))]


def install_domain_errors(app: FastAPI) -> None:
    """The domain raises its own DomainError (it knows nothing of HTTP); answer it in the same
    shape as the platform's errors: a list of {field, code, message_nl, message_en}."""

    async def _refused(_: Request, exc: DomainError) -> JSONResponse:
        body = {"errors": [e.as_dict() for e in field_errors(exc)], "correlation_id": correlation.current()}
        return JSONResponse(body, status_code=status_for(exc))

    app.add_exception_handler(DomainError, _refused)
