"""Editors ("redacteuren") at work: upload CSAF advisories, write analyses and news, and take
each through draft -> review -> published -> withdrawn with a second pair of eyes."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Literal
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from weerbaar_contracts.events.content import (
    Audience as AudienceContract, PublicationPublishedV1, PublicationRevisedV1, PublicationWithdrawnV1)
from weerbaar_platform import correlation, outbox
from weerbaar_platform.auth import REDACTEUR, Principal, current_principal
from weerbaar_platform.errors import Conflict, DomainError as HttpRefusal, NotFound

from ..adapters import audience as audience_json
from ..adapters import publications as store
from ..domain import publishing
from ..domain.publishing import Publication
from ..domain.text import Title
from ..domain.tlp import Tlp
from ..ingest import CsafRefused, ingest_csaf
from .access import editor_of

router = APIRouter(tags=["editorial"])
TlpLabel = Literal["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]


def _editor(principal: Principal = Depends(current_principal)) -> Principal:
    principal.require(REDACTEUR)
    return principal


def _now() -> datetime:
    return datetime.now(timezone.utc)


# ------------------------------------------------------------------ CSAF upload


async def _upload_bytes(request: Request, limit: int) -> tuple[bytes, str | None]:
    """The document from a raw body or a multipart form (field `file`, else the first file)."""
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > limit:
        raise _too_large(limit)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file") or next((v for v in form.values() if hasattr(v, "read")), None)
        if upload is None or not hasattr(upload, "read"):
            raise HttpRefusal("file", "csaf.no_file", "Voeg het CSAF-document toe als bestand (veld 'file').",
                              "Attach the CSAF document as a file (field 'file').")
        raw, name = await upload.read(), upload.filename
    else:
        raw, name = await request.body(), None
    if len(raw) > limit:
        raise _too_large(limit)
    return raw, name


def _too_large(limit: int) -> HttpRefusal:
    return HttpRefusal("file", "csaf.too_large", f"Het document is groter dan {limit} bytes.",
                       f"The document is larger than {limit} bytes.", status=413)


def _refusal_body(validation) -> dict[str, Any]:
    errors = [{"field": f.path or "(document)", "code": f"csaf.{f.test}", "test": f.test, "path": f.path,
               "message_nl": f.message_nl, "message_en": f.message_en} for f in validation.findings]
    return {"errors": errors, "failed_tests": list(validation.failed_tests), "correlation_id": correlation.current()}


@router.post("/advisories", status_code=201)
async def upload_advisory(request: Request, principal: Principal = Depends(_editor)) -> Any:
    """Upload a CSAF 2.0 document. A new tracking id starts a draft; a newer version of a known
    tracking id updates its draft or, once published, starts the next revision (the published
    one stays shown until the new one is approved). Refused documents are kept for the editors
    only, with the failed tests, and never become publishable."""
    runtime = request.app.state.runtime
    raw, filename = await _upload_bytes(request, runtime.settings.max_upload_bytes)
    try:
        return await ingest_csaf(runtime, raw, filename, uploaded_by=principal.person_id, editor=editor_of(principal))
    except CsafRefused as refused:
        return JSONResponse(_refusal_body(refused.validation), status_code=422)


@router.get("/advisories/refusals")
async def list_refusals(request: Request, principal: Principal = Depends(_editor)) -> list[dict[str, Any]]:
    async with request.app.state.runtime.pool.acquire() as conn:
        rows = await store.refusals(conn)
    return [{"id": r["id"], "uploaded_by": str(r["uploaded_by"]), "uploaded_at": r["uploaded_at"].isoformat(),
             "filename": r["filename"], "failed_tests": list(r["failed_tests"]), "findings": r["findings"]}
            for r in rows]


# ------------------------------------------------------------------ analyses and news


class AudienceInput(AudienceContract):
    """The audience as an editor sends it. The contract ignores unknown keys so that event
    consumers survive a newer producer; from a person, an unknown key ("sector" for "sectors")
    is a typo that would silently narrow the audience, so it is refused by name."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def as_contract(self) -> AudienceContract:
        return AudienceContract.model_validate(self.model_dump())


class NewPublication(BaseModel):
    kind: Literal["analysis", "news"]
    title: Title
    body_markdown: str = Field(max_length=200_000)
    tlp: TlpLabel
    audience: AudienceInput


class PublicationEdit(BaseModel):
    title: Title | None = None
    body_markdown: str | None = Field(None, max_length=200_000)
    tlp: TlpLabel | None = None
    audience: AudienceInput | None = None


class Note(BaseModel):
    note: str = Field(min_length=1, max_length=5000)


class Reason(BaseModel):
    reason: str = Field(min_length=1, max_length=5000)


def _brief(publication: Publication) -> dict[str, Any]:
    return {"id": publication.publication_id, "revision": publication.revision, "state": publication.state.value,
            "tlp": publication.tlp.value, "audience": audience_json.to_json(publication.audience)}


@router.post("/publications", status_code=201)
async def create_publication(body: NewPublication, request: Request,
                             principal: Principal = Depends(_editor)) -> dict[str, Any]:
    runtime = request.app.state.runtime
    publication_id = uuid4()
    draft = publishing.new_draft(str(publication_id), body.title, body.body_markdown, Tlp(body.tlp),
                                 body.audience.as_contract(), editor_of(principal))
    async with runtime.pool.acquire() as conn, conn.transaction():
        await store.create_publication(conn, publication_id, body.kind, None, principal.person_id)
        await store.save(conn, draft, tlp_defaulted=False, document_id=None, changes=None)
    return _brief(draft)


async def _change_latest(request: Request, publication_id: UUID, change) -> tuple[Publication, Any]:
    """Run `change(conn, row)` on the newest revision under a lock; it returns (publication,
    extra fields for `store.save`, event or None)."""
    runtime = request.app.state.runtime
    async with runtime.pool.acquire() as conn, conn.transaction():
        if not await store.lock(conn, publication_id):
            raise NotFound("publication")
        row = await store.latest(conn, publication_id)
        publication, saved, event = await change(conn, row)
        await store.save(conn, publication, **saved)
        if event is not None:
            await outbox.enqueue(conn, event, source=runtime.source)
    return publication, event


def _kept(row) -> dict[str, Any]:
    return {"tlp_defaulted": row["tlp_defaulted"], "document_id": row["document_id"], "changes": row["changes"]}


@router.patch("/publications/{publication_id}")
async def edit_publication(publication_id: UUID, body: PublicationEdit, request: Request,
                           principal: Principal = Depends(_editor)) -> dict[str, Any]:
    async def change(conn, row):
        edited = publishing.edit(
            store.to_publication(row), editor_of(principal), title=body.title, body_markdown=body.body_markdown,
            tlp=Tlp(body.tlp) if body.tlp else None,
            audience=body.audience.as_contract() if body.audience else None)
        # An editor who sets the label has chosen it: it is no longer the configured default.
        return edited, _kept(row) | {"tlp_defaulted": row["tlp_defaulted"] and body.tlp is None}, None
    publication, _ = await _change_latest(request, publication_id, change)
    return _brief(publication)


@router.post("/publications/{publication_id}/submit")
async def submit(publication_id: UUID, request: Request, principal: Principal = Depends(_editor)) -> dict[str, Any]:
    async def change(conn, row):
        return publishing.submit_for_review(store.to_publication(row), editor_of(principal)), _kept(row), None
    publication, _ = await _change_latest(request, publication_id, change)
    return _brief(publication)


@router.post("/publications/{publication_id}/reject")
async def reject(publication_id: UUID, body: Note, request: Request,
                 principal: Principal = Depends(_editor)) -> dict[str, Any]:
    async def change(conn, row):
        return publishing.reject(store.to_publication(row), editor_of(principal), body.note), _kept(row), None
    publication, _ = await _change_latest(request, publication_id, change)
    return _brief(publication)


@router.post("/publications/{publication_id}/approve")
async def approve(publication_id: UUID, request: Request, principal: Principal = Depends(_editor)) -> dict[str, Any]:
    """Four eyes: whoever wrote this revision gets 403; another editor publishes it."""
    async def change(conn, row):
        shown = await store.shown(conn, publication_id)
        if shown is not None and shown["state"] == "withdrawn":
            raise Conflict("state", "publishing.withdrawn",
                           "Deze publicatie is ingetrokken; een nieuwe revisie kan niet meer worden gepubliceerd.",
                           "This publication was withdrawn; a new revision can no longer be published.")
        published = publishing.approve(store.to_publication(row), editor_of(principal), _now())
        changes = _changes(row, shown)
        return published, _kept(row) | {"changes": changes}, _announcement(row, published, changes)
    publication, event = await _change_latest(request, publication_id, change)
    return _brief(publication) | {"event": event.event_type if event else None}


def _changes(row, shown) -> dict[str, Any] | None:
    """What a new revision changes against the one readers saw: the CSAF diff, plus the
    publication's own fields."""
    if shown is None:
        return row["changes"]
    changes = dict(row["changes"] or {"summary": []})
    lines = list(changes.get("summary", []))
    for field, label in (("title", "title"), ("body_markdown", "text"), ("tlp", "TLP"), ("audience", "audience")):
        if row[field] != shown[field]:
            lines.append(f"{label} changed" + (f": {shown[field]} -> {row[field]}" if field == "tlp" else ""))
    changes["summary"] = lines
    return changes


def _announcement(row, publication: Publication, changes: dict[str, Any] | None):
    common = dict(publication_id=UUID(publication.publication_id), kind=row["kind"], title=publication.title,
                  tlp=publication.tlp.value, audience=publication.audience,
                  revision=publication.revision, tracking_id=row["tracking_id"])
    if publication.revision == 1:
        return PublicationPublishedV1(**common)
    return PublicationRevisedV1(**common, changes=list((changes or {}).get("summary", [])))


@router.post("/publications/{publication_id}/withdraw")
async def withdraw(publication_id: UUID, body: Reason, request: Request,
                   principal: Principal = Depends(_editor)) -> dict[str, Any]:
    async def change(conn, row):
        shown = await store.shown(conn, publication_id)
        if shown is None:
            raise NotFound("publication")  # never published: there is nothing to withdraw
        withdrawn = publishing.withdraw(store.to_publication(shown), editor_of(principal), body.reason, _now())
        event = PublicationWithdrawnV1(
            publication_id=publication_id, reason=withdrawn.withdrawal.reason, kind=shown["kind"],
            title=withdrawn.title, tlp=withdrawn.tlp.value, audience=withdrawn.audience,
            revision=withdrawn.revision, tracking_id=shown["tracking_id"])
        return withdrawn, _kept(shown), event
    publication, _ = await _change_latest(request, publication_id, change)
    return _brief(publication)


@router.post("/publications/{publication_id}/revise", status_code=201)
async def revise(publication_id: UUID, request: Request, principal: Principal = Depends(_editor)) -> dict[str, Any]:
    """Start the next revision as a draft; the published one stays shown until it is approved."""
    async def change(conn, row):
        return publishing.revise(store.to_publication(row), editor_of(principal)), _kept(row) | {"changes": None}, None
    publication, _ = await _change_latest(request, publication_id, change)
    return _brief(publication)
