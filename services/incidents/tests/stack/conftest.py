"""The incidents service in-process on the real PostgreSQL and Kafka, with a pinned clock, and
helpers to play the registry (its events, through Kafka) and read what incidents publishes."""
import contextlib
import functools
import json
import pathlib
import uuid
from datetime import UTC, datetime

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from weerbaar_contracts import CloudEvent, new_event, topics
from weerbaar_contracts.events.registry import EntityRegisteredV1
from weerbaar_platform.testing import bearer, eventually, running_service, shared_data

from incidents.app import create_app
from incidents.domain.clock import ManualClock
from incidents.settings import IncidentsSettings

DST_CASES = shared_data("incidents", "nis2_early_warning_naive_dst_times.json")

ATTACHMENT_LIMIT = 256 * 1024


@pytest.fixture(scope="module")
def namespace() -> str:
    return f"t{uuid.uuid4().hex[:8]}."


@pytest.fixture(scope="module")
def clock() -> ManualClock:
    return ManualClock(datetime(2025, 11, 3, 9, 0, tzinfo=UTC))


@contextlib.asynccontextmanager
async def incidents_service(stack, namespace, signer, clock, attachment_dir, **overrides):
    settings = dict(attachment_dir=str(attachment_dir), attachment_max_bytes=ATTACHMENT_LIMIT,
                    scheduler_poll_seconds=0.05, public_report_rate_limit=3)
    settings.update(overrides)
    async with running_service(functools.partial(create_app, clock=clock), IncidentsSettings, stack,
                               namespace, signer, label="incidents", **settings) as client:
        yield client


@pytest.fixture(scope="module")
async def service(stack, namespace, signer, clock, tmp_path_factory):
    """One running incidents service per test module (starting one takes seconds)."""
    async with incidents_service(stack, namespace, signer, clock, tmp_path_factory.mktemp("attachments")) as client:
        yield client


@pytest.fixture(scope="module")
def people(signer):
    return People(signer)


@pytest.fixture(scope="module")
def registry(stack, namespace):
    return Registry(stack.kafka_bootstrap, namespace)


class People:
    def __init__(self, signer):
        self.signer = signer

    def member(self, organisation_id, *roles, person_id=None) -> dict[str, str]:
        return bearer(self.signer, person_id=person_id or uuid.uuid4(), organisation_id=organisation_id,
                      roles=list(roles or ["gebruiker"]))

    def analist(self, person_id=None) -> dict[str, str]:
        return bearer(self.signer, person_id=person_id or uuid.uuid4(), roles=["analist"])


class Registry:
    """Plays the registry service: publishes its events to Kafka in the test's namespace."""

    def __init__(self, bootstrap: str, namespace: str):
        self.bootstrap, self.namespace = bootstrap, namespace

    async def send(self, payload) -> CloudEvent:
        event = new_event(payload, source="/weerbaar/registry")
        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap)
        await producer.start()
        try:
            await producer.send_and_wait(self.namespace + payload.topic, key=payload.key().encode(),
                                         value=event.to_bytes())
        finally:
            await producer.stop()
        return event

    async def register(self, service, classification: str = "essential", name: str | None = None) -> uuid.UUID:
        """Register an organisation and wait until the incidents service knows it."""
        organisation_id = uuid.uuid4()
        await self.send(EntityRegisteredV1(
            organisation_id=organisation_id, registration_version=1,
            legal_name=name or f"Organisatie {organisation_id.hex[:6]}", sector="drinking_water",
            classification=classification, registered_by=uuid.uuid4(), registered_by_name="Eerste Beheerder",
            registered_by_email="beheer@example.org"))

        async def known():
            async with service.app.state.runtime.pool.acquire() as conn:
                return await conn.fetchrow("SELECT * FROM organisations WHERE id = $1", organisation_id)

        await eventually(known, timeout=60)
        return organisation_id


async def outbox_events(service, event_type: str | None = None, incident_id=None) -> list[dict]:
    """The events the service wrote, oldest first (as CloudEvents dicts)."""
    async with service.app.state.runtime.pool.acquire() as conn:
        rows = await conn.fetch("SELECT payload FROM outbox ORDER BY id")
    events = [json.loads(bytes(r["payload"])) for r in rows]
    return [e for e in events
            if (event_type is None or e["type"] == f"nl.weerbaar.{event_type}.v1")
            and (incident_id is None or e["data"].get("incident_id") == str(incident_id))]


async def kafka_events(bootstrap: str, topic: str) -> list[dict]:
    """Every record on a topic right now, decoded."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                                auto_offset_reset="earliest")
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        if not parts:
            return []
        consumer.assign(parts)
        ends = await consumer.end_offsets(parts)
        await consumer.seek_to_beginning(*parts)
        out = []
        while [p for p in parts if await consumer.position(p) < ends[p]]:
            for records in (await consumer.getmany(timeout_ms=1000)).values():
                out.extend(json.loads(r.value) for r in records)
        return out
    finally:
        await consumer.stop()


def incidents_topic(namespace: str) -> str:
    return namespace + topics.INCIDENTS


EARLY_WARNING = {
    "suspected_malicious": "ja",
    "cross_border_impact": "onbekend",
    "contact": {"name": "Jan Jansen", "email": "soc@example.org", "phone": "+31 70 000 0000"},
    "summary": "Ransomware op kantoornetwerk",
}

NOTIFICATION = {
    "initial_assessment": "Versleutelde bestanden op twee servers.",
    "severity": "high",
    "impact": "Kantoorautomatisering twee dagen uit.",
    "indicators_of_compromise": [{"type": "ipv4", "value": "192.0.2.7"}, {"type": "domain", "value": "bücher.example"}],
}
