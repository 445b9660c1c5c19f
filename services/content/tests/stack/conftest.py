"""The content service in-process on the real PostgreSQL and Kafka, with helpers to play the
registry (its events, through Kafka) and to read what content publishes."""
import asyncio
import json
import pathlib
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from weerbaar_contracts import CloudEvent, new_event, topics
from weerbaar_contracts.events.registry import EntityRegisteredV1, EntityUpdatedV1
from weerbaar_platform.testing import bearer, running_service, shared_data

from content.app import create_app
from content.settings import ContentSettings


CSAF_DATA = shared_data("csaf")


@pytest.fixture(scope="module")
def namespace() -> str:
    return f"t{uuid.uuid4().hex[:8]}."


@pytest.fixture(scope="module")
async def content(stack, namespace, signer):
    """One running content service per test module (starting one takes seconds)."""
    async with running_service(create_app, ContentSettings, stack, namespace, signer, label="content",
                               default_tlp="AMBER") as client:
        yield client


@pytest.fixture(scope="module")
def people(signer):
    return People(signer)


class People:
    """Tokens for the people in a test: editors (CSIRT staff) and members of organisations."""

    def __init__(self, signer):
        self.signer = signer

    def editor(self, person_id=None) -> dict[str, str]:
        return bearer(self.signer, person_id=person_id or uuid.uuid4(), roles=["redacteur"])

    def member(self, organisation_id, *roles, person_id=None) -> dict[str, str]:
        return bearer(self.signer, person_id=person_id or uuid.uuid4(), organisation_id=organisation_id,
                      roles=list(roles or ["gebruiker"]))


class Registry:
    """Plays the registry service: publishes its events to Kafka in the test's namespace."""

    def __init__(self, bootstrap: str, namespace: str):
        self.bootstrap, self.namespace = bootstrap, namespace
        self.versions: dict[uuid.UUID, int] = {}

    async def _send(self, payload) -> CloudEvent:
        event = new_event(payload, source="/weerbaar/registry")
        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap)
        await producer.start()
        try:
            await producer.send_and_wait(self.namespace + payload.topic, key=payload.key().encode(),
                                         value=event.to_bytes())
        finally:
            await producer.stop()
        return event

    def _snapshot(self, organisation_id, sector, subsector, classification) -> dict:
        self.versions[organisation_id] = self.versions.get(organisation_id, 0) + 1
        return dict(organisation_id=organisation_id, registration_version=self.versions[organisation_id],
                    legal_name=f"Organisatie {organisation_id.hex[:6]}", sector=sector, subsector=subsector,
                    classification=classification)

    async def register(self, sector: str, subsector: str | None = None, classification: str = "essential") -> uuid.UUID:
        organisation_id = uuid.uuid4()
        await self._send(EntityRegisteredV1(
            **self._snapshot(organisation_id, sector, subsector, classification),
            registered_by=uuid.uuid4(), registered_by_name="Eva de Vries", registered_by_email="eva@example.nl"))
        return organisation_id

    async def update(self, organisation_id, sector: str, subsector: str | None = None,
                     classification: str = "essential") -> None:
        await self._send(EntityUpdatedV1(**self._snapshot(organisation_id, sector, subsector, classification),
                                         changed_fields=["sector"]))


@pytest.fixture(scope="module")
def registry(stack, namespace) -> Registry:
    return Registry(stack.kafka_bootstrap, namespace)


async def read_events(bootstrap: str, topic: str, *, until, timeout: float = 30) -> list[CloudEvent]:
    """Read `topic` from the start until `until(events)` holds; the events read so far."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                                enable_auto_commit=False, group_id=None)
    await consumer.start()
    events: list[CloudEvent] = []
    try:
        async with asyncio.timeout(timeout):
            while not until(events):
                batch = await consumer.getmany(timeout_ms=500)
                events += [CloudEvent.from_bytes(r.value) for records in batch.values() for r in records]
    finally:
        await consumer.stop()
    return events


async def upload(client, headers, raw: bytes, *, multipart: bool = False, filename: str = "advisory.json"):
    if multipart:
        return await client.post("/advisories", headers=headers, files={"file": (filename, raw, "application/json")})
    return await client.post("/advisories", headers=headers | {"Content-Type": "application/json"}, content=raw)


async def publish(client, people, publication_id: str, *, audience: dict | None = None, tlp: str | None = None,
                  author=None) -> dict:
    """Take a draft through review to published: its author submits, a second editor approves."""
    author = author or people.editor()
    if audience is not None or tlp is not None:
        change = {k: v for k, v in (("audience", audience), ("tlp", tlp)) if v is not None}
        response = await client.patch(f"/publications/{publication_id}", headers=author, json=change)
        assert response.status_code == 200, response.text
    response = await client.post(f"/publications/{publication_id}/submit", headers=author)
    assert response.status_code == 200, response.text
    response = await client.post(f"/publications/{publication_id}/approve", headers=people.editor())
    assert response.status_code == 200, response.text
    return response.json()


def csaf_file(name: str) -> bytes:
    return (CSAF_DATA / name).read_bytes()


def as_json(raw: bytes) -> dict:
    return json.loads(raw.decode("utf-8-sig"))
