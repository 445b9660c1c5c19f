"""Evidence files: streamed in under a size limit, recognised by content, hashed, stored
behind the storage port; fetched only by the organisation's people and the CSIRT's analysts."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from urllib.parse import quote
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from weerbaar_platform.auth import Principal, current_principal
from weerbaar_platform.errors import NotFound

from incidents.adapters import attachments
from incidents.domain.attachments import AttachmentMeter, check_not_empty, detect_type, safe_filename
from incidents.entrypoints import views
from incidents.entrypoints.common import clock_of, pool_of, settings_of, storage_of, visible_incident

router = APIRouter(prefix="/incidents", tags=["attachments"])


@router.post("/{incident_id}/attachments", status_code=201)
async def upload(incident_id: UUID, request: Request, filename: str = Query(..., min_length=1, max_length=255),
                 principal: Principal = Depends(current_principal)) -> dict:
    """The raw file is the request body. Who may upload, and the declared length, are checked
    before a byte is read; the limit is checked again on every chunk while it streams in."""
    async with pool_of(request).acquire() as conn:
        await visible_incident(conn, principal, incident_id)
    meter = AttachmentMeter(settings_of(request).attachment_max_bytes)
    meter.check_declared(request.headers.get("content-length"))

    async def metered() -> AsyncIterator[bytes]:
        async for chunk in request.stream():
            yield meter.feed(chunk)

    storage, key = storage_of(request), uuid4().hex
    await storage.save(key, metered())  # a refusal while streaming leaves nothing behind
    try:
        check_not_empty(meter.size)
        now = clock_of(request).now()
        row = dict(id=uuid4(), incident_id=incident_id, filename=safe_filename(filename),
                   declared_type=(request.headers.get("content-type") or "")[:100] or None,
                   detected_type=detect_type(meter.head), size=meter.size, sha256=meter.sha256,
                   storage_key=key, uploaded_by=principal.person_id, uploaded_at=now)
        async with pool_of(request).acquire() as conn, conn.transaction():
            await visible_incident(conn, principal, incident_id, for_update=True)
            await attachments.insert(conn, **row)
            await conn.execute("UPDATE incidents SET updated_at = $2 WHERE id = $1", incident_id, now)
    except BaseException:
        await storage.delete(key)  # no row, no file
        raise
    return views.attachment(row)


@router.get("/{incident_id}/attachments")
async def list_attachments(incident_id: UUID, request: Request,
                           principal: Principal = Depends(current_principal)) -> dict:
    async with pool_of(request).acquire() as conn:
        await visible_incident(conn, principal, incident_id)
        return {"items": [views.attachment(r) for r in await attachments.of_incident(conn, incident_id)]}


@router.get("/{incident_id}/attachments/{attachment_id}")
async def download(incident_id: UUID, attachment_id: UUID, request: Request,
                   principal: Principal = Depends(current_principal)) -> StreamingResponse:
    async with pool_of(request).acquire() as conn:
        await visible_incident(conn, principal, incident_id)
        row = await attachments.get(conn, incident_id, attachment_id)
    if row is None:
        raise NotFound("attachment")
    digest = base64.b64encode(bytes.fromhex(row["sha256"])).decode()
    # Evidence may be malicious: always a download, never rendered or sniffed by the browser.
    return StreamingResponse(storage_of(request).read(row["storage_key"]), media_type="application/octet-stream",
                             headers={
                                 "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row['filename'])}",
                                 "Content-Length": str(row["size"]),
                                 "X-Content-Type-Options": "nosniff",
                                 "X-Detected-Content-Type": row["detected_type"],
                                 "Repr-Digest": f"sha-256=:{digest}:",
                                 "Cache-Control": "private, no-store",
                             })
