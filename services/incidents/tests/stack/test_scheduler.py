"""The deadline scheduler with two replicas on one database (two in-process apps, each running
its scheduler every 50 ms, plus extra concurrent rounds from the test): every reminder and
every missed deadline is one event, in the outbox and in Kafka; a met deadline sends nothing."""
import asyncio
import collections
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from weerbaar_platform.testing import eventually

from incidents.entrypoints.scheduler import run_due_jobs

from .conftest import EARLY_WARNING, incidents_service, incidents_topic, kafka_events, outbox_events

pytestmark = pytest.mark.stack

APPROACHING, MISSED = "incidents.deadline.approaching", "incidents.deadline.missed"


def counted(events) -> collections.Counter:
    return collections.Counter((e["type"].removeprefix("nl.weerbaar.").removesuffix(".v1"), e["data"]["stage"],
                                e["data"]["deadline"]) for e in events)


async def extra_rounds(*replicas, clock, times: int = 5) -> None:
    """More replicas racing for the same rows, on top of the apps' own schedulers."""
    runs = [run_due_jobs(r.app.state.runtime.pool, clock=clock, source="/weerbaar/incidents", batch=1)
            for r in replicas for _ in range(times)]
    await asyncio.gather(*runs)


async def test_each_reminder_and_missed_deadline_is_emitted_exactly_once_with_two_replicas(
        stack, namespace, signer, clock, people, registry, tmp_path):
    clock.set(datetime(2025, 11, 3, 9, 0, tzinfo=UTC))
    database = await stack.fresh_database("incidents")
    async with incidents_service(stack, namespace, signer, clock, tmp_path, database_url=database) as one, \
            incidents_service(stack, namespace, signer, clock, tmp_path, database_url=database) as two:
        organisation = await registry.register(one, "essential")
        member = people.member(organisation)
        aware = {"title": "Storing", "became_aware_at": "2025-11-03T08:00:00+01:00"}  # 07:00 UTC
        late = (await one.post("/incidents", json=aware, headers=member)).json()
        on_time = (await two.post("/incidents", json=aware, headers=member)).json()
        # The second incident's early warning comes in time: its reminders and miss are called off.
        submitted = await two.post(f"/incidents/{on_time['id']}/stages/early_warning",
                                   json={"data": EARLY_WARNING}, headers=member)
        assert submitted.status_code == 201, submitted.text

        async def deadline_events(incident, n):
            events = [e for e in await outbox_events(one, incident_id=incident["id"])
                      if e["type"].startswith((f"nl.weerbaar.{APPROACHING}", f"nl.weerbaar.{MISSED}"))]
            return events if len(events) >= n else None

        ew_due, nf_due = "2025-11-04T07:00:00Z", "2025-11-06T07:00:00Z"
        # 6 hours and 1 hour before the early-warning deadline, then the deadline itself.
        for at, expected in ((datetime(2025, 11, 4, 1, 0, 1, tzinfo=UTC), 1),
                             (datetime(2025, 11, 4, 6, 0, 1, tzinfo=UTC), 2),
                             (datetime(2025, 11, 4, 7, 0, 1, tzinfo=UTC), 3)):
            clock.set(at)
            await extra_rounds(one, two, clock=clock)
            await eventually(lambda: deadline_events(late, expected), timeout=30)
        # Past everything of the notification at once: two reminders and its miss.
        clock.set(datetime(2025, 11, 7, 0, 0, tzinfo=UTC))
        await extra_rounds(one, two, clock=clock)
        await eventually(lambda: deadline_events(late, 6), timeout=30)
        await eventually(lambda: deadline_events(on_time, 3), timeout=30)
        await asyncio.sleep(0.5)  # ten more rounds of each replica's scheduler
        await extra_rounds(one, two, clock=clock)

        late_events = await deadline_events(late, 0)
        expected_late = collections.Counter({
            (APPROACHING, "early_warning", ew_due): 2, (MISSED, "early_warning", ew_due): 1,
            (APPROACHING, "notification", nf_due): 2, (MISSED, "notification", nf_due): 1})
        assert counted(late_events) == expected_late
        # Two reminders of one deadline are two rows (6 h and 1 h before), each sent once.
        async with one.app.state.runtime.pool.acquire() as conn:
            jobs = await conn.fetch("SELECT job, deadline_kind, done_at, cancelled_at FROM deadline_jobs "
                                    "WHERE incident_id = $1", uuid.UUID(late["id"]))
            assert len(jobs) == 6 and all(j["done_at"] is not None for j in jobs)
            cancelled = await conn.fetch("SELECT deadline_kind FROM deadline_jobs WHERE incident_id = $1 "
                                         "AND cancelled_at IS NOT NULL", uuid.UUID(on_time["id"]))
            assert {c["deadline_kind"] for c in cancelled} == {"early_warning"} and len(cancelled) == 3
        # The incident whose early warning came in time: only the notification's reminders and miss.
        assert counted(await deadline_events(on_time, 0)) == collections.Counter({
            (APPROACHING, "notification", nf_due): 2, (MISSED, "notification", nf_due): 1})
        missed = next(e for e in late_events if e["type"] == f"nl.weerbaar.{MISSED}.v1")
        assert missed["data"]["organisation_id"] == str(organisation)
        assert missed["data"]["reference"] == late["reference"]

        # And in Kafka, after both relays: each event once.
        async def in_kafka():
            events = [e for e in await kafka_events(stack.kafka_bootstrap, incidents_topic(namespace))
                      if e["data"].get("incident_id") == late["id"]
                      and e["type"].startswith((f"nl.weerbaar.{APPROACHING}", f"nl.weerbaar.{MISSED}"))]
            return events if len(events) >= 6 else None

        kafka = await eventually(in_kafka, timeout=60)
        await asyncio.sleep(1)
        kafka = await in_kafka()
        assert counted(kafka) == expected_late
        assert len({e["id"] for e in kafka}) == 6
