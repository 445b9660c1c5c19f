"""Attachments streamed in under a limit (refused before the body is all read), recognised by
content, round-tripping with the same SHA-256; and the wall between organisations: B gets 404
for A's incident and everything under it. Real PostgreSQL and Kafka, filesystem storage."""
import hashlib
import uuid
from datetime import UTC, datetime

import pytest

from .conftest import ATTACHMENT_LIMIT, EARLY_WARNING

pytestmark = pytest.mark.stack

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\x81\x1c\x00\x00\x00\x00IEND\xaeB`\x82")


class RecordingBody:
    """A streaming request body that records how much of it the server pulled."""

    def __init__(self, total: int, chunk: int = 16 * 1024, head: bytes = b""):
        self.total, self.chunk, self.head = total, chunk, head
        self.consumed = 0

    async def __aiter__(self):
        sent = 0
        while sent < self.total:
            piece = (self.head if sent == 0 and self.head else b"")
            piece = (piece + b"A" * self.chunk)[: min(self.chunk, self.total - sent)]
            sent += len(piece)
            self.consumed = sent
            yield piece


async def opened(service, people, registry, clock):
    clock.set(datetime(2025, 11, 3, 9, 0, tzinfo=UTC))
    organisation = await registry.register(service, "important")
    member = people.member(organisation)
    incident = await service.post("/incidents", headers=member,
                                  json={"title": "Datalek", "became_aware_at": "2025-11-03T08:00:00+01:00"})
    assert incident.status_code == 201, incident.text
    return organisation, member, incident.json()


def stored_files(service) -> list:
    root = service.app.state.runtime.extras["attachment_storage"].root
    return [p for p in root.rglob("*") if p.is_file()]


async def attachment_rows(service, incident_id) -> int:
    async with service.app.state.runtime.pool.acquire() as conn:
        return await conn.fetchval("SELECT count(*) FROM attachments WHERE incident_id = $1", uuid.UUID(incident_id))


async def test_an_attachment_within_the_limit_round_trips_with_the_same_sha256(service, people, registry, clock):
    _, member, incident = await opened(service, people, registry, clock)
    content = PNG + bytes(range(256)) * 400  # ~100 kB, under the 256 kB limit
    response = await service.post(f"/incidents/{incident['id']}/attachments?filename=../../etc/scherm%0Aafdruk.png",
                                  content=content, headers={**member, "Content-Type": "text/plain"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["size"] == len(content)
    assert body["detected_type"] == "image/png" and body["declared_type"] == "text/plain"  # content, not header
    assert body["filename"] == "scherm_afdruk.png"  # no path, no control characters

    fetched = await service.get(f"/incidents/{incident['id']}/attachments/{body['id']}", headers=member)
    assert fetched.status_code == 200
    assert hashlib.sha256(fetched.content).hexdigest() == body["sha256"]
    assert fetched.headers["content-disposition"].startswith("attachment;")
    assert fetched.headers["x-content-type-options"] == "nosniff"
    assert fetched.headers["content-type"] == "application/octet-stream"
    # The CSIRT's analysts may fetch it too.
    by_csirt = await service.get(f"/incidents/{incident['id']}/attachments/{body['id']}", headers=people.analist())
    assert by_csirt.status_code == 200 and by_csirt.content == content


async def test_an_attachment_over_the_limit_is_refused_before_it_is_all_read(service, people, registry, clock):
    _, member, incident = await opened(service, people, registry, clock)
    path = f"/incidents/{incident['id']}/attachments?filename=dump.bin"
    files_before = stored_files(service)

    # Streamed without a length (chunked): refused once the count passes the limit.
    body = RecordingBody(total=10 * ATTACHMENT_LIMIT)
    response = await service.post(path, content=body, headers=member)
    assert response.status_code == 413, response.text
    assert response.json()["errors"][0]["field"] == "file" and response.json()["errors"][0]["code"] == "too_large"
    assert body.consumed <= ATTACHMENT_LIMIT + 2 * body.chunk, body.consumed
    assert body.consumed < body.total

    # A declared length over the limit: refused before a single byte is read.
    body = RecordingBody(total=2 * ATTACHMENT_LIMIT)
    response = await service.post(path, content=body, headers={**member, "Content-Length": str(body.total)})
    assert response.status_code == 413
    assert body.consumed == 0

    # Nothing kept of either: no row, no file, no partial file.
    assert await attachment_rows(service, incident["id"]) == 0
    assert stored_files(service) == files_before


async def test_exactly_the_limit_is_accepted_and_an_empty_file_refused(service, people, registry, clock):
    _, member, incident = await opened(service, people, registry, clock)
    path = f"/incidents/{incident['id']}/attachments?filename=log.txt"
    response = await service.post(path, content=RecordingBody(total=ATTACHMENT_LIMIT), headers=member)
    assert response.status_code == 201, response.text
    assert response.json()["size"] == ATTACHMENT_LIMIT and response.json()["detected_type"] == "text/plain"
    empty = await service.post(path, content=b"", headers=member)
    assert empty.status_code == 422 and empty.json()["errors"][0]["code"] == "empty"


async def test_organisation_b_gets_404_for_organisation_a_incident_and_its_attachments(
        service, people, registry, clock):
    _, member_a, incident = await opened(service, people, registry, clock)
    uploaded = await service.post(f"/incidents/{incident['id']}/attachments?filename=a.png", content=PNG,
                                  headers=member_a)
    assert uploaded.status_code == 201
    attachment = uploaded.json()["id"]
    organisation_b = await registry.register(service, "essential")
    member_b = people.member(organisation_b, "beheerder_personen")

    base = f"/incidents/{incident['id']}"
    for method, path, kwargs in (
            ("GET", base, {}),
            ("GET", f"{base}/attachments", {}),
            ("GET", f"{base}/attachments/{attachment}", {}),
            ("POST", f"{base}/attachments?filename=x.txt", {"content": b"hello"}),
            ("GET", f"{base}/stix", {}),
            ("GET", f"{base}/drafts/early_warning", {}),
            ("PUT", f"{base}/drafts/early_warning", {"json": EARLY_WARNING}),
            ("POST", f"{base}/stages/early_warning", {"json": {"data": EARLY_WARNING}}),
    ):
        response = await service.request(method, path, headers=member_b, **kwargs)
        assert response.status_code == 404, (method, path, response.status_code)
        assert response.json()["errors"][0]["code"] == "not_found"
    # Same answer as for an incident that does not exist: nothing to learn from the difference.
    unknown = await service.get(f"/incidents/{uuid.uuid4()}", headers=member_b)
    assert unknown.status_code == 404 and unknown.json()["errors"][0]["message_en"] == "Incident not found."
    assert incident["id"] not in (await service.get("/incidents", headers=member_b)).text
    # B's attempts changed nothing of A's incident.
    detail = (await service.get(base, headers=member_a)).json()
    assert detail["drafts"] == [] and detail["reports"] == [] and len(detail["attachments"]) == 1

    # Without an organisation or a token: no access either.
    no_org = people.member(None)
    assert (await service.get(base, headers=no_org)).status_code == 403
    assert (await service.get(f"{base}/attachments/{attachment}")).status_code == 401
