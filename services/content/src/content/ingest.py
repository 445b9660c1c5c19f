"""Taking in a CSAF document, from an editor's upload or from a provider's feed.

A valid document becomes (or updates) a draft: it is never published without a second
editor's approval. A document that fails the schema or a mandatory test is kept among the
refusals, for the editors, and goes no further.
"""
from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import asyncpg
from weerbaar_platform.errors import Conflict

from .adapters import publications as store
from .domain import publishing
from .domain.csaf.extract import diff_advisories, extract_advisory
from .domain.csaf.record import advisory_json, diff_json
from .domain.csaf.validate import CsafValidation, validate_csaf
from .domain.csaf.versions import parse_version
from .domain.publishing import Publication
from .domain.tlp import Tlp
from .domain.visibility import Audience, PublicationState


class CsafRefused(Exception):
    def __init__(self, validation: CsafValidation):
        super().__init__(", ".join(validation.failed_tests))
        self.validation = validation


async def ingest_csaf(runtime, raw: bytes, filename: str | None, *, uploaded_by: UUID,
                      editor: publishing.Editor) -> dict[str, Any]:
    """Validate and store `raw`; the draft it became, or CsafRefused."""
    validation = validate_csaf(raw)
    if not validation.valid:
        async with runtime.pool.acquire() as conn:
            await store.record_refusal(
                conn, uploaded_by=uploaded_by, filename=filename, failed_tests=list(validation.failed_tests),
                findings=[{"test": f.test, "path": f.path, "message_en": f.message_en} for f in validation.findings],
                raw=raw)
        raise CsafRefused(validation)

    advisory = extract_advisory(validation.document)
    record = advisory_json(advisory)
    # As the document says it (TLP 1.0 "WHITE" in CSAF 2.0), shown beside the label we apply.
    label = ((validation.document["document"].get("distribution") or {}).get("tlp") or {}).get("label")
    tlp = advisory.tlp or Tlp(runtime.settings.default_tlp)
    defaulted = advisory.tlp is None
    try:
        async with runtime.pool.acquire() as conn, conn.transaction():
            return await _store(conn, raw, validation, advisory, record, label, tlp, defaulted, uploaded_by, editor)
    except asyncpg.UniqueViolationError:  # the same document arrived twice at the same moment
        raise Conflict("document/tracking", "csaf.concurrent_upload",
                       "Dit document wordt op dit moment al verwerkt; probeer het zo opnieuw.",
                       "This document is being taken in right now; try again in a moment.") from None


async def _store(conn, raw, validation, advisory, record, label, tlp, defaulted, uploaded_by, editor) -> dict[str, Any]:
    publication_id = await store.lock_by_tracking_id(conn, advisory.tracking_id)
    if publication_id is None:
        publication_id = uuid4()
        await store.create_publication(conn, publication_id, "advisory", advisory.tracking_id, uploaded_by)
        # CLEAR may go to everyone; anything else waits for the editor to choose (fail closed).
        audience = Audience(everyone=True) if tlp is Tlp.CLEAR else Audience()
        draft = publishing.new_draft(str(publication_id), advisory.title, "", tlp, audience, editor)
    else:
        draft, defaulted = await _next_draft(conn, publication_id, advisory, tlp, defaulted, editor)
    shown = await store.shown(conn, publication_id)
    changes = None
    if shown is not None and shown["document_id"] is not None:
        before = await store.document_of(conn, shown["document_id"])
        changes = diff_json(diff_advisories(extract_advisory(before["document"]), advisory))
    document_id = await store.add_document(
        conn, publication_id=publication_id, tracking_id=advisory.tracking_id, csaf_version=advisory.version,
        raw=raw, document=validation.document, advisory=record, label=label,
        uploaded_by=uploaded_by)
    await store.save(conn, draft, tlp_defaulted=defaulted, document_id=document_id, changes=changes)
    return {"id": str(publication_id), "tracking_id": advisory.tracking_id, "csaf_version": advisory.version,
            "revision": draft.revision, "state": draft.state.value, "tlp": draft.tlp.value,
            "tlp_defaulted": defaulted, "document_label": label, "changes": changes,
            "affected": record["affected"], "fixed": record["fixed"], "not_affected": record["not_affected"]}


async def _next_draft(conn, publication_id: UUID, advisory, tlp: Tlp, defaulted: bool,
                      editor: publishing.Editor) -> tuple[Publication, bool]:
    latest = await store.latest(conn, publication_id)
    known = [parse_version(v) for v in await store.document_versions(conn, advisory.tracking_id)]
    newest = max((v for v in known if v), key=lambda v: v.sort_key(), default=None)
    version = parse_version(advisory.version)
    if newest is not None and version is not None and version.sort_key() <= newest.sort_key():
        raise Conflict("document/tracking/version", "csaf.version_not_newer",
                       f"Versie {advisory.version} is niet nieuwer dan versie {newest.text} die we al hebben.",
                       f"Version {advisory.version} is not newer than version {newest.text}, which we already have.")
    current = store.to_publication(latest)
    if current.state is PublicationState.WITHDRAWN:
        raise Conflict("state", "publishing.withdrawn",
                       "Dit advies is ingetrokken; een nieuwe versie kan niet meer worden gepubliceerd.",
                       "This advisory was withdrawn; a new version can no longer be published.")
    if current.state is PublicationState.PUBLISHED:
        current = publishing.revise(current, editor)
    elif current.state is PublicationState.REVIEW:
        current = publishing.reject(current, editor, f"New CSAF version {advisory.version} uploaded.")
    if advisory.tlp is None:  # no label in the new version: keep what the draft has
        tlp, defaulted = current.tlp, latest["tlp_defaulted"]
    return publishing.edit(current, editor, title=advisory.title, tlp=tlp), defaulted


