"""Deadlines through the HTTP API on the real PostgreSQL and Kafka, with the clock pinned: a
normal time, the ambiguous autumn time and the non-existent spring time of the ground-truth
file, and a voluntary report without deadlines. Stored in UTC, shown in Europe/Amsterdam."""
import json
import uuid
from datetime import UTC, datetime

import pytest

from .conftest import DST_CASES

pytestmark = pytest.mark.stack


def ground_truth() -> dict:
    return json.loads(DST_CASES.read_text())["incident"]


async def open_incident(service, headers, became_aware_at: str, title: str = "Ransomware op kantoornetwerk"):
    return await service.post("/incidents", json={"title": title, "became_aware_at": became_aware_at},
                              headers=headers)


async def stored_deadlines(service, incident_id) -> dict:
    async with service.app.state.runtime.pool.acquire() as conn:
        rows = await conn.fetch("SELECT kind, due FROM incident_deadlines WHERE incident_id = $1", incident_id)
        # Stored as UTC instants: read back as text in a UTC session they carry +00.
        await conn.execute("SET TIME ZONE 'UTC'")
        text = await conn.fetch("SELECT kind, due::text AS due FROM incident_deadlines WHERE incident_id = $1",
                                incident_id)
    return {r["kind"]: r["due"] for r in rows}, {r["kind"]: r["due"] for r in text}


def by_kind(body) -> dict:
    return {d["kind"]: d for d in body["deadlines"]}


async def test_deadlines_for_a_normal_time_are_24_and_72_hours_in_utc_and_shown_in_amsterdam(
        service, people, registry, clock):
    clock.set(datetime(2025, 10, 21, 10, 0, tzinfo=UTC))
    organisation = await registry.register(service, "essential")
    response = await open_incident(service, people.member(organisation), "2025-10-20 14:30")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["statutory"] is True and body["notices"] == [] and not body["became_aware_ambiguous"]
    assert body["became_aware_at"] == "2025-10-20T12:30:00Z"  # 14:30 CEST
    deadlines = by_kind(body)
    assert set(deadlines) == {"early_warning", "notification"}
    assert deadlines["early_warning"]["due"] == "2025-10-21T12:30:00Z"
    assert deadlines["early_warning"]["due_local"] == "2025-10-21T14:30:00+02:00"
    assert deadlines["early_warning"]["zone"] == "Europe/Amsterdam"
    assert deadlines["notification"]["due"] == "2025-10-23T12:30:00Z"
    assert deadlines["notification"]["due_local"] == "2025-10-23T14:30:00+02:00"

    stored, as_text = await stored_deadlines(service, uuid.UUID(body["id"]))
    assert stored["early_warning"] == datetime(2025, 10, 21, 12, 30, tzinfo=UTC)
    assert as_text["notification"] == "2025-10-23 12:30:00+00"


async def test_ambiguous_autumn_time_is_shown_and_the_earlier_deadline_used(service, people, registry, clock):
    case = ground_truth()
    clock.set(datetime.fromisoformat(case["submitted_at"]))  # 2025-10-27T01:15:00+01:00
    organisation = await registry.register(service, "essential")
    response = await open_incident(service, people.member(organisation), case["became_aware_at"], case["title"])
    assert response.status_code == 201, response.text
    body = response.json()

    assert body["became_aware_ambiguous"] is True
    assert body["became_aware_at"] == "2025-10-26T00:30:00Z"  # 02:30 CEST, the first one
    assert body["became_aware_later_alternative"] == "2025-10-26T01:30:00Z"  # 02:30 CET
    assert body["became_aware_input"] == "2025-10-26 02:30:00"
    [notice] = body["notices"]
    assert notice["field"] == "became_aware_at" and notice["code"] == "ambiguous_local_time"
    assert "twee keer" in notice["message_nl"] and "twice" in notice["message_en"]

    deadlines = by_kind(body)
    assert deadlines["early_warning"]["due"] == "2025-10-27T00:30:00Z"
    assert deadlines["early_warning"]["due_local"] == "2025-10-27T01:30:00+01:00"  # winter time by then
    assert deadlines["notification"]["due"] == "2025-10-29T00:30:00Z"
    # The reporter submits at 01:15 CET on the 27th: still before the (earlier) deadline.
    assert deadlines["early_warning"]["missed"] is False


async def test_nonexistent_spring_time_is_refused_naming_the_field_and_nothing_is_stored(
        service, people, registry, clock):
    case = ground_truth()
    clock.set(datetime(2025, 3, 31, 9, 0, tzinfo=UTC))
    organisation = await registry.register(service, "essential")
    member = people.member(organisation)
    response = await open_incident(service, member, case["first_detected_at"])  # 2025-03-30T02:30:00
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == "became_aware_at" and error["code"] == "nonexistent_local_time"
    assert "bestaat niet" in error["message_nl"] and "does not exist" in error["message_en"]
    listed = await service.get("/incidents", headers=member)
    assert listed.json()["items"] == []

    # The same moment with its offset is accepted as given.
    response = await open_incident(service, member, "2025-03-30T02:30:00+01:00")
    assert response.status_code == 201, response.text
    assert by_kind(response.json())["early_warning"]["due"] == "2025-03-31T01:30:00Z"


async def test_voluntary_report_has_no_deadlines_and_no_reminders(service, people, registry, clock):
    clock.set(datetime(2025, 10, 21, 10, 0, tzinfo=UTC))
    organisation = await registry.register(service, "not_in_scope")
    response = await open_incident(service, people.member(organisation), "2025-10-21T08:00:00+02:00")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["statutory"] is False and body["deadlines"] == []
    async with service.app.state.runtime.pool.acquire() as conn:
        jobs = await conn.fetchval("SELECT count(*) FROM deadline_jobs WHERE incident_id = $1",
                                   uuid.UUID(body["id"]))
    assert jobs == 0


async def test_awareness_in_the_future_is_refused(service, people, registry, clock):
    clock.set(datetime(2025, 10, 21, 10, 0, tzinfo=UTC))
    organisation = await registry.register(service, "important")
    response = await open_incident(service, people.member(organisation), "2025-10-21T14:00:00+02:00")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "became_aware_at"
    assert response.json()["errors"][0]["code"] == "aware_in_future"
