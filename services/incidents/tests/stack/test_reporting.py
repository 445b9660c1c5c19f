"""The stages of a report over HTTP on the real PostgreSQL and Kafka: drafts keep what was
typed, stages go in order and each is a kept version, refusals name the field and change
nothing, the CSIRT triages with notes the organisation never sees, and the events reach Kafka."""
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from weerbaar_platform.testing import eventually

from .conftest import EARLY_WARNING, NOTIFICATION, incidents_topic, kafka_events, outbox_events

pytestmark = pytest.mark.stack


async def opened(service, people, registry, clock, classification="essential"):
    clock.set(datetime(2025, 11, 3, 9, 0, tzinfo=UTC))
    organisation = await registry.register(service, classification)
    member = people.member(organisation)
    response = await service.post("/incidents", headers=member,
                                  json={"title": "Ransomware", "became_aware_at": "2025-11-03T08:00:00+01:00"})
    assert response.status_code == 201, response.text
    return organisation, member, response.json()


async def snapshot(service, incident_id) -> dict:
    """Everything stored about one incident, to prove a refusal changed nothing."""
    async with service.app.state.runtime.pool.acquire() as conn:
        out = {}
        for table, key in (("incidents", "id"), ("incident_reports", "incident_id"),
                           ("incident_drafts", "incident_id"), ("incident_deadlines", "incident_id"),
                           ("deadline_jobs", "incident_id")):
            rows = await conn.fetch(f"SELECT * FROM {table} WHERE {key} = $1 ORDER BY 1, 2", uuid.UUID(incident_id))
            out[table] = [dict(r) for r in rows]
        out["outbox"] = await conn.fetchval("SELECT count(*) FROM outbox WHERE key = $1", incident_id)
    return out


async def test_a_draft_keeps_everything_typed_even_when_incomplete_or_wrong(service, people, registry, clock):
    _, member, incident = await opened(service, people, registry, clock)
    typed = {"suspected_malicious": "misschien", "contact": {"name": "Jan"}, "notes_for_myself": "bel Piet"}
    response = await service.put(f"/incidents/{incident['id']}/drafts/early_warning", json=typed, headers=member)
    assert response.status_code == 200, response.text
    problems = {(p["field"], p["code"]) for p in response.json()["problems"]}
    assert ("cross_border_impact", "required") in problems
    assert ("contact.email", "required") in problems
    assert ("suspected_malicious", "invalid") in problems
    assert ("notes_for_myself", "unknown_field") in problems

    saved = await service.get(f"/incidents/{incident['id']}/drafts/early_warning", headers=member)
    assert saved.json()["data"] == typed
    detail = (await service.get(f"/incidents/{incident['id']}", headers=member)).json()
    assert detail["drafts"][0]["data"] == typed and detail["reports"] == []


async def test_stages_in_order_each_kept_as_a_version_with_events_in_kafka(
        service, people, registry, clock, namespace):
    organisation, member, incident = await opened(service, people, registry, clock)
    path = f"/incidents/{incident['id']}"
    assert incident["stages_possible"] == ["early_warning"]

    # Out of order: refused, naming the stage, nothing stored changes.
    before = await snapshot(service, incident["id"])
    refused = await service.post(f"{path}/stages/notification", json={"data": NOTIFICATION}, headers=member)
    assert refused.status_code == 409
    assert refused.json()["errors"][0] | {"message_nl": None, "message_en": None} == {
        "field": "stage", "code": "early_warning_first", "message_nl": None, "message_en": None}
    # Missing mandatory fields: every missing field named, nothing stored changes.
    incomplete = {k: v for k, v in EARLY_WARNING.items() if k != "contact"} | {"contact": {"name": "Jan"}}
    refused = await service.post(f"{path}/stages/early_warning", json={"data": incomplete}, headers=member)
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {"contact.email", "contact.phone"}
    assert all(e["message_nl"] and e["message_en"] for e in refused.json()["errors"])
    assert await snapshot(service, incident["id"]) == before

    # The saved draft is what gets submitted when no data is sent.
    await service.put(f"{path}/drafts/early_warning", json=EARLY_WARNING, headers=member)
    clock.advance(timedelta(hours=2))
    submitted = await service.post(f"{path}/stages/early_warning", headers=member)
    assert submitted.status_code == 201, submitted.text
    body = submitted.json()
    assert body["submitted"] == {"stage": "early_warning", "version": 1, "late": False}
    assert body["drafts"] == []
    assert body["reports"][0]["content"]["suspected_malicious"] == "yes"
    ew = next(d for d in body["deadlines"] if d["kind"] == "early_warning")
    assert ew["open"] is False and ew["missed"] is False

    clock.advance(timedelta(hours=20))
    submitted = await service.post(f"{path}/stages/notification", json={"data": NOTIFICATION}, headers=member)
    assert submitted.status_code == 201, submitted.text
    body = submitted.json()
    assert [r["version"] for r in body["reports"]] == [1, 2]
    assert body["reports"][0]["content"]["contact"]["email"] == "soc@example.org"  # version 1 kept as it was
    final = next(d for d in body["deadlines"] if d["kind"] == "final")
    assert final["due"] == "2025-12-04T07:00:00Z" and final["due_local"] == "2025-12-04T08:00:00+01:00"

    again = await service.post(f"{path}/stages/notification", json={"data": NOTIFICATION}, headers=member)
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "stage_already_submitted"

    # The CSIRT asks for an intermediate report; the organisation then may (and only then).
    analist = people.analist()
    early = await service.post(f"{path}/stages/intermediate", json={"data": {"status_update": "x"}}, headers=member)
    assert early.status_code == 409 and early.json()["errors"][0]["code"] == "intermediate_not_requested"
    asked = await service.post(f"/csirt/incidents/{incident['id']}/intermediate-requests", headers=analist,
                               json={"due": "2025-11-10T12:00:00+01:00"})
    assert asked.status_code == 201, asked.text
    assert asked.json()["intermediate_requested"] is True
    submitted = await service.post(f"{path}/stages/intermediate", headers=member,
                                   json={"data": {"status_update": "Herstel loopt; back-ups teruggezet."}})
    assert submitted.status_code == 201 and submitted.json()["submitted"]["version"] == 3

    types = [e["type"].removeprefix("nl.weerbaar.").removesuffix(".v1")
             for e in await outbox_events(service, incident_id=incident["id"])]
    assert types == ["incidents.incident.reported", "incidents.stage.submitted", "incidents.stage.submitted",
                     "incidents.intermediate.requested", "incidents.stage.submitted"]

    async def in_kafka():
        events = [e for e in await kafka_events(service.app.state.runtime.settings.kafka_bootstrap,
                                                incidents_topic(namespace))
                  if e["data"].get("incident_id") == incident["id"]]
        return events if len(events) == 5 else None

    events = await eventually(in_kafka, timeout=60)
    requested = next(e for e in events if e["type"].endswith("intermediate.requested.v1"))
    assert requested["data"]["organisation_id"] == str(organisation)
    assert requested["data"]["due"].startswith("2025-11-10T11:00:00")
    stage = next(e for e in events if e["type"].endswith("stage.submitted.v1") and e["data"]["stage"] == "notification")
    assert stage["data"]["next_stage"] == "final" and stage["data"]["next_deadline"].startswith("2025-12-04T07:00")


async def test_csirt_triage_and_internal_notes_the_organisation_never_sees(service, people, registry, clock):
    organisation, member, incident = await opened(service, people, registry, clock)
    analist = people.analist()
    secret = f"Vermoedelijk dezelfde actor als bij {uuid.uuid4().hex[:8]}"
    assignee = uuid.uuid4()

    noted = await service.post(f"/csirt/incidents/{incident['id']}/notes", json={"text": secret}, headers=analist)
    assert noted.status_code == 201, noted.text
    triaged = await service.patch(f"/csirt/incidents/{incident['id']}", headers=analist,
                                  json={"status": "in_progress", "severity": "critical", "assignee": str(assignee)})
    assert triaged.status_code == 200, triaged.text
    body = triaged.json()
    assert (body["status"], body["severity"], body["assignee"]) == ("in_progress", "critical", str(assignee))
    assert body["internal_notes"][0]["text"] == secret

    # The organisation: status yes; notes, severity and assignee never, in no route.
    for route in ("", "/attachments"):
        seen = await service.get(f"/incidents/{incident['id']}{route}", headers=member)
        assert seen.status_code == 200
        text = seen.text
        assert secret not in text and str(assignee) not in text and "critical" not in text
        assert "internal_notes" not in text
    listed = await service.get("/incidents", headers=member)
    assert secret not in listed.text and str(assignee) not in listed.text
    assert (await service.get(f"/incidents/{incident['id']}", headers=member)).json()["status"] == "in_progress"

    # Only analysts reach the CSIRT side.
    assert (await service.get(f"/csirt/incidents/{incident['id']}", headers=member)).status_code == 403
    assert (await service.post(f"/csirt/incidents/{incident['id']}/notes", json={"text": "x"},
                               headers=member)).status_code == 403

    changed = await outbox_events(service, "incidents.status.changed", incident_id=incident["id"])
    assert [e["data"]["status"] for e in changed] == ["in_progress"]
    # The same status again is no change: no second event.
    await service.patch(f"/csirt/incidents/{incident['id']}", headers=analist, json={"status": "in_progress"})
    assert len(await outbox_events(service, "incidents.status.changed", incident_id=incident["id"])) == 1
    refused = await service.patch(f"/csirt/incidents/{incident['id']}", headers=analist, json={"status": "vergeten"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "status"


async def test_csirt_sees_all_incidents_with_filters_and_close_or_missed_deadlines(service, people, registry, clock):
    _, _, late = await opened(service, people, registry, clock)
    _, _, voluntary = await opened(service, people, registry, clock, classification="not_in_scope")
    analist = people.analist()
    # 08:00 CET aware; now 09:00 UTC. 16 hours on, the early warning (07:00Z next day) is close.
    clock.set(datetime(2025, 11, 4, 1, 0, tzinfo=UTC))
    close = (await service.get("/csirt/incidents?deadline=close", headers=analist)).json()["items"]
    ids = {i["id"] for i in close}
    assert late["id"] in ids and voluntary["id"] not in ids
    item = next(i for i in close if i["id"] == late["id"])
    assert item["deadlines_close"] == ["early_warning"] and item["deadlines_missed"] == []

    clock.set(datetime(2025, 11, 4, 8, 0, tzinfo=UTC))
    missed = (await service.get("/csirt/incidents?deadline=missed", headers=analist)).json()["items"]
    assert late["id"] in {i["id"] for i in missed}
    deadlines = (await service.get("/csirt/deadlines?within_hours=1", headers=analist)).json()["items"]
    mine = [d for d in deadlines if d["incident_id"] == late["id"]]
    assert [(d["kind"], d["state"]) for d in mine] == [("early_warning", "missed")]

    voluntary_only = (await service.get("/csirt/incidents?statutory=false", headers=analist)).json()["items"]
    assert voluntary["id"] in {i["id"] for i in voluntary_only}
    assert all(i["statutory"] is False for i in voluntary_only)


async def test_stix_export_of_the_submitted_stages(service, people, registry, clock):
    _, member, incident = await opened(service, people, registry, clock)
    path = f"/incidents/{incident['id']}"
    nothing = await service.get(f"{path}/stix", headers=member)
    assert nothing.status_code == 422 and nothing.json()["errors"][0]["code"] == "nothing_to_export"
    await service.post(f"{path}/stages/early_warning", json={"data": EARLY_WARNING}, headers=member)
    await service.post(f"{path}/stages/notification", json={"data": NOTIFICATION}, headers=member)

    bundle = (await service.get(f"{path}/stix", headers=member)).json()
    assert bundle["type"] == "bundle"
    kinds = [o["type"] for o in bundle["objects"]]
    assert kinds.count("incident") == 1 and kinds.count("indicator") == 2 and kinds.count("relationship") == 2
    patterns = {o["pattern"] for o in bundle["objects"] if o["type"] == "indicator"}
    assert patterns == {"[ipv4-addr:value = '192.0.2.7']", "[domain-name:value = 'xn--bcher-kva.example']"}
    assert all(o["spec_version"] == "2.1" for o in bundle["objects"])
    # The CSIRT gets the same bundle.
    assert (await service.get(f"{path}/stix", headers=people.analist())).json() == bundle
    json.dumps(bundle)


async def test_progress_report_then_the_end_of_the_incident_starts_the_final_reports_month(
        service, people, registry, clock):
    _, member, incident = await opened(service, people, registry, clock)
    path = f"/incidents/{incident['id']}"
    await service.post(f"{path}/stages/early_warning", json={"data": EARLY_WARNING}, headers=member)
    await service.post(f"{path}/stages/notification", json={"data": NOTIFICATION}, headers=member)
    clock.set(datetime(2025, 12, 3, 9, 0, tzinfo=UTC))
    progress = await service.post(f"{path}/stages/progress", headers=member, json={"data": {
        "status_update": "Nog niet alle systemen hersteld.", "mitigation_ongoing": "Herinstallatie werkplekken."}})
    assert progress.status_code == 201, progress.text
    # While the incident goes on there is no final deadline.
    assert [d["kind"] for d in progress.json()["deadlines"] if d["open"]] == []

    future = await service.post(f"{path}/end", json={"incident_ended_at": "2025-12-24T12:00:00+01:00"}, headers=member)
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "incident_ended_at"
    ended = await service.post(f"{path}/end", json={"incident_ended_at": "2025-12-01 17:00"}, headers=member)
    assert ended.status_code == 200, ended.text
    final = next(d for d in ended.json()["deadlines"] if d["kind"] == "final")
    assert final["open"] and final["due_local"] == "2026-01-01T17:00:00+01:00"
    assert ended.json()["stages_possible"] == ["final"]
