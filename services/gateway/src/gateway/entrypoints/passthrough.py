"""Thin pass-through routes of the portal API, declared as a table: gateway path -> owning
service and its path. Every route is one of three scopes, checked here before any call:

- `person`: any logged-in person (the service decides what they see);
- `org`:    the path starts with /api/organisations/{organisation_id}; it must be the session's
            acting organisation, else 404 (never reveal that another organisation exists);
            the service then checks every nested id against the token's organisation;
- `staff`:  CSIRT staff only (403 otherwise); the service checks the precise role.

The person's access token goes with every call; answers come back as they are (status, JSON,
ETag, downloads), except that a service that is down or lacks the endpoint becomes a 503 with
a bilingual message."""
from __future__ import annotations

import inspect
import json
import re
from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter, Body, Depends, Path, Request
from fastapi.responses import JSONResponse, Response
from weerbaar_platform.auth import STAFF_ROLES
from weerbaar_platform.errors import DomainError, NotFound

from weerbaar_platform import correlation

from ..adapters.upstream import SessionEnded, Unavailable
from ..domain.parts import unavailable
from ..domain.session import Session
from .web import NotLoggedIn, extras, require_session, settings_of

Scope = Literal["person", "org", "staff"]
FORWARDED_REQUEST_HEADERS = ("if-match", "if-none-match", "accept")
FORWARDED_RESPONSE_HEADERS = ("etag", "content-disposition", "location", "retry-after")
#: Query parameters that belong to the gateway, not to the service.
GATEWAY_PARAMS = {"lang", "csrf_token", "theme"}


@dataclass(frozen=True)
class Route:
    method: str
    path: str            # gateway path, under /api
    service: str
    upstream: str        # the service's path; {names} filled from the gateway path
    scope: Scope
    summary: str
    part: str = ""       # which part of the portal, for the "not available" message
    body: bool = False


class ServiceUnavailable(DomainError):
    """503 when a service is down or slow; 502 when it failed (a fault to report, not downtime)."""

    def __init__(self, part: str, reason: str):
        msg = unavailable(part, reason, correlation.current())
        failed, unknown = reason == "failed", reason == "outcome unknown"
        code = "service_failed" if failed else "outcome_unknown" if unknown else "unavailable"
        super().__init__("(service)", code, msg["message_nl"], msg["message_en"],
                         502 if failed else 504 if unknown else 503)


def check_scope(session: Session, scope: Scope, organisation_id: UUID | None) -> None:
    if scope == "org" and (organisation_id is None or not session.owns(organisation_id)):
        raise NotFound("organisation")
    if scope == "staff" and not session.has(*STAFF_ROLES):
        raise DomainError("role", "forbidden", "Deze functie is alleen voor medewerkers van het CSIRT.",
                          "This is for CSIRT staff only.", 403)


async def forward(request: Request, session: Session, route: Route, params: dict[str, Any],
                  body: Any = None) -> Response:
    upstream = extras(request)["upstream"]
    query = [(k, v) for k, v in request.query_params.multi_items() if k not in GATEWAY_PARAMS]
    headers = {k: request.headers[k] for k in FORWARDED_REQUEST_HEADERS if k in request.headers}
    path = route.upstream.format(**{k: str(v) for k, v in params.items()})
    writes = route.method not in ("GET", "HEAD")
    if route.body and body is not None:
        _check_json_numbers(body)
    try:
        resp = await upstream.call(session, route.service, route.method, path, params=query,
                                   json=body if route.body else None, headers=headers,
                                   timeout=settings_of(request).service_write_timeout_seconds if writes else None)
    except Unavailable as exc:
        reason = "outcome unknown" if writes and exc.reason == "timeout" else exc.reason
        raise ServiceUnavailable(route.part or route.service, reason) from None
    except SessionEnded:
        raise NotLoggedIn() from None
    out_headers = {k: resp.headers[k] for k in FORWARDED_RESPONSE_HEADERS if k in resp.headers}
    if "location" in out_headers:
        out_headers.pop("location")  # the service's own path means nothing to our clients
    if resp.status_code == 204:
        return Response(status_code=204, headers=out_headers)
    ctype = resp.headers.get("content-type", "application/json")
    if ctype.startswith("application/json"):
        try:
            return JSONResponse(resp.json(), status_code=resp.status_code, headers=out_headers)
        except ValueError:
            raise ServiceUnavailable(route.part or route.service, "invalid answer") from None
    return Response(resp.content, status_code=resp.status_code, media_type=ctype, headers=out_headers)


def _check_json_numbers(body: Any) -> None:
    """Python reads NaN and Infinity in JSON, but no JSON encoder writes them again: refuse them
    here with a reason instead of failing while forwarding."""
    try:
        json.dumps(body, allow_nan=False)
    except ValueError:
        raise DomainError("(body)", "not_a_number",
                          "Getallen als NaN of Infinity bestaan niet in JSON; vul een gewoon getal in.",
                          "Numbers such as NaN or Infinity do not exist in JSON; enter an ordinary number.") from None


def _path_params(path: str) -> list[str]:
    return re.findall(r"{(\w+)}", path)


def _signature(route: Route, *, with_body: bool) -> inspect.Signature:
    parameters = [inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request),
                  inspect.Parameter("session", inspect.Parameter.KEYWORD_ONLY, annotation=Session,
                                    default=Depends(require_session))]
    for name in _path_params(route.path):
        # ids are UUIDs (FastAPI refuses anything else with a 422); other names short tokens
        annotation = UUID if name.endswith("_id") else str
        default = Path() if annotation is UUID else Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
        parameters.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation,
                                            default=default))
    if with_body:
        parameters.append(inspect.Parameter("body", inspect.Parameter.KEYWORD_ONLY, annotation=dict[str, Any],
                                            default=Body(...)))
    return inspect.Signature(parameters)


def _name(route: Route) -> str:
    return route.method.lower() + "_" + re.sub(r"[^a-z0-9]+", "_", route.path.lower()).strip("_")


def register(router: APIRouter, route: Route) -> None:
    """Add one pass-through route with a proper signature, so that OpenAPI documents it and
    FastAPI validates its path parameters before anything is forwarded."""

    async def endpoint(request: Request, session: Session, **kwargs):
        body = kwargs.pop("body", None)
        check_scope(session, route.scope, kwargs.get("organisation_id"))
        return await forward(request, session, route, kwargs, body)

    endpoint.__signature__ = _signature(route, with_body=route.body)
    endpoint.__name__ = _name(route)
    router.add_api_route(route.path, endpoint, methods=[route.method], summary=route.summary,
                         tags=[route.part or route.service],
                         openapi_extra={"x-weerbaar-scope": route.scope, "x-weerbaar-service": route.service})


UPLOAD_BODY = {"requestBody": {"required": True, "content": {
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                       "properties": {"file": {"type": "string", "format": "binary"}}}}}}}


def register_upload(router: APIRouter, route: Route, endpoint) -> None:
    """An upload route: the body is not declared to FastAPI (it would read it all); the
    endpoint streams it through. OpenAPI still documents the multipart body."""
    endpoint.__signature__ = _signature(route, with_body=False)
    endpoint.__name__ = _name(route)
    router.add_api_route(route.path, endpoint, methods=[route.method], summary=route.summary,
                         tags=[route.part or route.service],
                         openapi_extra={**UPLOAD_BODY, "x-weerbaar-scope": route.scope,
                                        "x-weerbaar-service": route.service, "x-weerbaar-upload": True})
