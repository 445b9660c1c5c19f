"""The portal API (/api): the session, the composed dashboard, uploads streamed through to the
owning service, and the thin pass-through routes of `routes.py`."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.background import BackgroundTask
from pydantic import BaseModel, Field
from weerbaar_platform import correlation
from weerbaar_platform.errors import DomainError, NotFound
from weerbaar_platform.text import readable_size

from ..adapters import ratelimit
from ..adapters.multipart_stream import BrokenForm, NoFile, file_part
from ..adapters.upstream import NotAMember, SessionEnded, Unavailable, Upstream
from ..domain import parts
from ..domain.session import Session
from . import passthrough, routes
from .web import NotLoggedIn, extras, require_session, settings_of

router = APIRouter(prefix="/api")


# ------------------------------------------------------------------ session


class OrganisationOut(BaseModel):
    id: UUID
    name: str
    roles: list[str]


class SessionOut(BaseModel):
    person_id: UUID
    name: str
    email: str
    language: str
    acting_organisation_id: UUID | None
    organisations: list[OrganisationOut]
    roles: list[str] = Field(description="roles usable now in the acting organisation (and staff roles)")
    csrf_token: str = Field(description="send as X-CSRF-Token with every POST, PUT, PATCH and DELETE")


def session_out(s: Session) -> SessionOut:
    return SessionOut(person_id=s.person_id, name=s.name, email=s.email, language=s.language,
                      acting_organisation_id=s.acting_organisation,
                      organisations=[OrganisationOut(id=o.id, name=o.name, roles=list(o.roles))
                                     for o in s.organisations],
                      roles=sorted(s.roles), csrf_token=s.csrf_token)


@router.get("/session", tags=["session"], summary="Who is logged in, for which organisations")
async def get_session(session: Session = Depends(require_session)) -> SessionOut:
    return session_out(session)


class ActingOrganisation(BaseModel):
    organisation_id: UUID


@router.post("/session/organisation", tags=["session"], summary="Act for another of my organisations")
async def switch_organisation(body: ActingOrganisation, request: Request,
                              session: Session = Depends(require_session)) -> SessionOut:
    # identity decides, not the list from login time: an organisation registered since then
    # is acted for at once; one the person is no member of is not found.
    try:
        fresh = await extras(request)["upstream"].fresh(session, organisation_id=str(body.organisation_id))
    except NotAMember:
        raise NotFound("organisation") from None
    except SessionEnded:
        raise NotLoggedIn() from None
    return session_out(fresh)


# ------------------------------------------------------------------ the dashboard


class Part(BaseModel):
    status: Literal["ok", "unavailable"]
    data: Any = None
    message_nl: str | None = None
    message_en: str | None = None


class Dashboard(BaseModel):
    person: dict[str, Any]
    organisation: dict[str, Any] | None
    registration: Part
    incidents: Part
    advisories: Part
    tasks: Part


async def _json(upstream: Upstream, session: Session, service: str, path: str, **kw) -> Any:
    resp = await upstream.call(session, service, "GET", path, **kw)
    if resp.status_code == 404:
        return None
    if resp.status_code != 200:
        raise Unavailable(service, f"answered {resp.status_code}")
    return resp.json()


async def _part(name: str, work) -> tuple[dict, Any]:
    """Run one part; any failure becomes that part's `unavailable`, never the page's."""
    try:
        data = await work
    except Unavailable as exc:
        return parts.unavailable(name, exc.reason, correlation.current()), None
    except (ValueError, KeyError, TypeError, AttributeError):
        return parts.unavailable(name, "invalid answer"), None
    return parts.available(data), data


async def compose_dashboard(upstream: Upstream, session: Session) -> dict[str, Any]:
    session = await upstream.fresh(session)
    org = session.acting_organisation

    async def registration():
        if org is None:
            return {"registered": False}
        entry = await _json(upstream, session, "registry", f"/organisations/{org}")
        if entry is None:
            return {"registered": False}
        return {"registered": True, **entry}

    async def incidents():
        if org is None:
            return {"open": [], "next_deadline": None}
        body = await _json(upstream, session, "incidents", "/incidents") or {"items": []}
        open_ones = [{**i, "next_deadline": parts.incident_next_deadline(i)}
                     for i in body["items"] if i.get("status") not in ("closed", "ended", "withdrawn")]
        return {"open": open_ones, "next_deadline": parts.next_deadline(open_ones)}

    async def advisories():
        body = await _json(upstream, session, "content", "/publications",
                           params={"kind": "advisory", "limit": 5}) or {"items": []}
        return {"latest": body["items"], "total": body.get("total", len(body["items"]))}

    (reg_part, reg), (inc_part, inc), (adv_part, _) = await asyncio.gather(
        _part("registration", registration()), _part("incidents", incidents()), _part("advisories", advisories()))
    if reg is None and inc is None:
        tasks_part = parts.unavailable("tasks", "sources unavailable")
    else:
        tasks = parts.pending_tasks(registration=reg, registered=None if reg is None else reg["registered"],
                                    incidents=None if inc is None else inc["open"], roles=session.roles)
        tasks_part = parts.available({"items": tasks, "complete": reg is not None and inc is not None})
    acting = session.acting
    return {
        "person": {"id": str(session.person_id), "name": session.name, "email": session.email},
        "organisation": {"id": str(acting.id), "name": acting.name, "roles": sorted(session.roles)} if acting else None,
        "registration": reg_part, "incidents": inc_part, "advisories": adv_part, "tasks": tasks_part,
    }


@router.get("/dashboard", tags=["dashboard"], response_model=Dashboard,
            summary="Registration and classification, open incidents with the next deadline, "
                    "the latest advisories and the pending tasks, in one answer")
async def dashboard(request: Request, session: Session = Depends(require_session)) -> dict[str, Any]:
    try:
        return await compose_dashboard(extras(request)["upstream"], session)
    except SessionEnded:
        raise NotLoggedIn() from None


# ------------------------------------------------------------------ uploads, streamed through


class TooLarge(Exception):
    pass


async def stream_through(request: Request, session: Session, service: str, path: str, part: str, *,
                         form_file: bool = False, params: dict | None = None, filename_as: str | None = None):
    """Hand the request body to the service as it arrives: the gateway never holds the file,
    stops counting at its own limit (413), and the service applies its own limit as well.
    With `filename_as`, the uploaded file's name goes along as that query parameter (unless
    the request names it already)."""
    settings = settings_of(request)
    if not await ratelimit.allow(request.app.state.runtime.pool, f"upload:{session.person_id}",
                                 settings.upload_rate_per_minute):
        raise DomainError("file", "rate_limited", "U heeft te veel bestanden kort na elkaar geüpload. Wacht een minuut.",
                          "You uploaded too many files in a short time. Wait a minute.", 429)
    limit = settings.upload_limit(part)
    size = readable_size(limit)
    too_large = DomainError("file", "too_large", f"Het bestand is groter dan {size}.",
                            f"The file is larger than {size}.", 413)
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > limit:
        raise too_large
    content_type = request.headers.get("content-type") or "application/octet-stream"

    async def body() -> AsyncIterator[bytes]:
        seen = 0
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > limit:
                raise TooLarge()
            yield chunk

    query = [(k, v) for k, v in request.query_params.multi_items() if k not in passthrough.GATEWAY_PARAMS]
    query += list((params or {}).items())
    stream = body()
    info: dict = {}
    try:
        if form_file and content_type.startswith("multipart/form-data"):
            # An HTML form: pass on only the file's bytes, still as they arrive.
            stream, content_type = file_part(stream, content_type, info=info), "application/octet-stream"
            if filename_as and not any(k == filename_as for k, _ in query):
                stream = await _started(stream)  # reads up to the file's first bytes: its name is known
                query.append((filename_as, info.get("filename") or "upload"))
        resp = await extras(request)["upstream"].stream_upload(session, service, path, stream,
                                                               content_type=content_type, params=query)
    except TooLarge:
        raise too_large from None
    except BrokenForm as exc:
        raise _broken_form(exc.reason) from None
    except (ValueError, UnicodeDecodeError):  # a broken multipart body
        raise DomainError("file", "no_file", "Kies een bestand om te uploaden.", "Choose a file to upload.") from None
    except NoFile:
        raise DomainError("file", "no_file", "Kies een bestand om te uploaden.", "Choose a file to upload.") from None
    except Unavailable as exc:
        if info.get("broken"):  # the service saw the stream fail, and answered for it
            raise _broken_form(info["broken"]) from None
        raise passthrough.ServiceUnavailable(part, exc.reason) from None
    except SessionEnded:
        raise NotLoggedIn() from None
    if info.get("broken"):
        raise _broken_form(info["broken"])
    try:
        content = resp.json()
    except ValueError:
        raise passthrough.ServiceUnavailable(part, "invalid answer") from None
    return JSONResponse(content, status_code=resp.status_code)


def _broken_form(reason: str) -> DomainError:
    if reason == "more_than_one_file":
        return DomainError("file", "more_than_one_file", "Upload één bestand per keer.", "Upload one file at a time.")
    return DomainError("file", "incomplete_form",
                       "Het formulier kwam niet volledig aan; het bestand is niet opgeslagen. Probeer het opnieuw.",
                       "The form did not arrive in full; the file was not stored. Try again.")


async def _started(stream: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """The same stream, its first chunk already read."""
    try:
        first = await stream.__anext__()
    except StopAsyncIteration:
        first = None

    async def rest():
        if first is not None:
            yield first
        async for chunk in stream:
            yield chunk

    return rest()


#: What of the service's answer goes along with evidence someone downloads.
_DOWNLOAD_HEADERS = ("content-disposition", "content-length", "x-detected-content-type", "repr-digest")


@router.get("/organisations/{organisation_id}/incidents/{incident_id}/attachments/{attachment_id}",
            tags=["incidents"], summary="Download an attachment of an incident (always as a file, never shown)",
            response_class=StreamingResponse,
            responses={200: {"content": {"application/octet-stream": {"schema": {"type": "string",
                                                                                "format": "binary"}}}}})
async def download_attachment(organisation_id: UUID, incident_id: UUID, attachment_id: UUID, request: Request,
                              session: Session = Depends(require_session)):
    passthrough.check_scope(session, "org", organisation_id)
    try:
        resp = await extras(request)["upstream"].stream_download(
            session, "incidents", f"/incidents/{incident_id}/attachments/{attachment_id}")
    except Unavailable as exc:
        raise passthrough.ServiceUnavailable("incidents", exc.reason) from None
    except SessionEnded:
        raise NotLoggedIn() from None
    if resp.status_code != 200:
        try:
            return JSONResponse(resp.json(), status_code=resp.status_code)
        except ValueError:
            raise passthrough.ServiceUnavailable("incidents", "invalid answer") from None
    headers = {k: resp.headers[k] for k in _DOWNLOAD_HEADERS if k in resp.headers}
    headers |= {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}
    return StreamingResponse(resp.aiter_raw(), media_type="application/octet-stream", headers=headers,
                             background=BackgroundTask(resp.aclose))


#: The query parameter in which a service wants the uploaded file's name.
FILE_NAME_PARAMETER = {"/incidents/{incident_id}/attachments": "filename", "/netdata/feed-runs": "name"}

for upload in routes.UPLOADS:
    def _make(u=upload):
        async def endpoint(request: Request, session: Session = Depends(require_session), **kwargs):
            passthrough.check_scope(session, u.scope, kwargs.get("organisation_id"))
            # Clients may send the bare file or a multipart form (as the OpenAPI document says);
            # of a form only the file's bytes go on, as from the web pages.
            return await stream_through(request, session, u.service,
                                        u.upstream.format(**{k: str(v) for k, v in kwargs.items()}), u.part,
                                        form_file=True, filename_as=FILE_NAME_PARAMETER.get(u.upstream))
        return endpoint

    passthrough.register_upload(router, upload, _make())

for route in routes.ROUTES:
    passthrough.register(router, route)
