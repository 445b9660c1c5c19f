"""The public report form without login, on the real PostgreSQL and Kafka: a reference back,
the event out, contact details for the CSIRT only; rate limit per client, size limit, and
field errors naming the field."""
import uuid
from datetime import UTC, datetime

import pytest

from .conftest import outbox_events

pytestmark = pytest.mark.stack

REPORT = {
    "contact": {"name": "Petra de Vries", "email": "petra@example.org", "phone": "+31 6 0000 0000"},
    "organisation_name": "Stichting Voorbeeld",
    "title": "Phishing uit naam van het NCSC",
    "description": "Wij ontvingen mails met een link naar een nagemaakte inlogpagina.",
    "became_aware_at": "2025-11-03 09:30",
}


def from_address(service, address: str):
    """A client of the same app that arrives from another address (the rate limit is per client)."""
    import httpx

    transport = httpx.ASGITransport(app=service.app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://incidents")


async def test_a_report_without_login_gets_a_reference_and_reaches_the_csirt_only(service, people, clock):
    clock.set(datetime(2025, 11, 3, 10, 0, tzinfo=UTC))
    async with from_address(service, "198.51.100.10") as anonymous:
        response = await anonymous.post("/public/reports", json=REPORT)
    assert response.status_code == 201, response.text
    reference = response.json()["reference"]
    assert reference.startswith("INC-2025-") and reference in response.json()["message_nl"]
    assert "petra" not in response.text.lower()  # nothing echoed back

    [event] = [e for e in await outbox_events(service, "incidents.incident.reported")
               if e["data"]["reference"] == reference]
    assert event["data"]["organisation_id"] is None and event["data"]["statutory"] is False

    analist = people.analist()
    listed = (await service.get("/csirt/incidents?channel=public_form", headers=analist)).json()["items"]
    [item] = [i for i in listed if i["reference"] == reference]
    detail = (await service.get(f"/csirt/incidents/{item['id']}", headers=analist)).json()
    assert detail["public_report"]["contact"]["email"] == "petra@example.org"
    assert detail["became_aware_at"] == "2025-11-03T08:30:00Z" and detail["deadlines"] == []
    # No organisation's person can reach it.
    member = people.member(uuid.uuid4())
    assert (await service.get(f"/incidents/{item['id']}", headers=member)).status_code == 404


async def test_the_form_is_rate_limited_per_client_address(service, clock):
    clock.set(datetime(2025, 11, 3, 11, 0, tzinfo=UTC))  # a fresh window; the limit is 3 in tests
    async with from_address(service, "203.0.113.5") as abuser, from_address(service, "203.0.113.6") as other:
        statuses = [(await abuser.post("/public/reports", json=REPORT)).status_code for _ in range(4)]
        assert statuses == [201, 201, 201, 429]
        refused = await abuser.post("/public/reports", json=REPORT)
        assert refused.status_code == 429 and refused.json()["errors"][0]["code"] == "rate_limited"
        assert (await other.post("/public/reports", json=REPORT)).status_code == 201
        # The next window lets the first client in again.
        clock.set(datetime(2025, 11, 3, 12, 0, 1, tzinfo=UTC))
        assert (await abuser.post("/public/reports", json=REPORT)).status_code == 201


async def test_the_form_refuses_a_too_large_body_and_names_wrong_fields(service, clock):
    clock.set(datetime(2025, 11, 3, 13, 0, tzinfo=UTC))
    async with from_address(service, "192.0.2.77") as client:
        before = len(await outbox_events(service, "incidents.incident.reported"))
        huge = {**REPORT, "description": "x" * 40_000}  # over the 32 kB body limit
        too_large = await client.post("/public/reports", json=huge)
        assert too_large.status_code == 413

        wrong = {**REPORT, "contact": {"name": "", "email": "geen-adres"}, "website": "spam"}
        refused = await client.post("/public/reports", json=wrong)
        assert refused.status_code == 422
        fields = {e["field"] for e in refused.json()["errors"]}
        assert {"contact.name", "contact.email", "website"} <= fields
        assert all(e["message_nl"] and e["message_en"] for e in refused.json()["errors"])
        assert len(await outbox_events(service, "incidents.incident.reported")) == before
