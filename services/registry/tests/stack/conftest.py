"""The registry running in-process on the real PostgreSQL and Kafka, once per test module,
plus a registration form to vary and a reader for the events it puts on Kafka."""
import copy
import itertools
import uuid
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from weerbaar_contracts import CloudEvent, topics
from weerbaar_platform.testing import bearer, eventually, running_service


from registry.app import create_app
from registry.settings import RegistrySettings

_KVK = itertools.count(int(uuid.uuid4().int % 40_000_000) + 10_000_000)

_FORM: dict[str, Any] = {
    "sector": "drinking_water",
    "rsin": "111222333",
    "legal_name": "Waterbedrijf Voorbeeld N.V.",
    "visiting_address": {"street": "Bezuidenhoutseweg", "house_number": "12",
                         "postal_code": "2594 AV", "city": "Den Haag", "country": "NL"},
    "email": "info@waterbedrijf.example.nl",
    "phone": "070 123 4567",
    "security_contact": {"phone_24x7": "+31 6 1234 5678", "email": "soc@waterbedrijf.example.nl"},
    "incident_official": {"name": "J. de Vries", "email": "j.devries@waterbedrijf.example.nl",
                          "phone": "+31 70 765 4321"},
    "group_mailbox": "csirt-meldingen@waterbedrijf.example.nl",
    "member_states": ["NL", "BE"],
    "size": {"employees": 900, "annual_turnover_eur": "300000000",
             "balance_sheet_total_eur": "1200000000"},
}


def new_kvk() -> str:
    return str(next(_KVK))


def form(**overrides: Any) -> dict[str, Any]:
    """A valid registration with a fresh KvK number; an override of None removes the key."""
    data = copy.deepcopy(_FORM) | {"kvk_number": new_kvk()}
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


class Registry:
    def __init__(self, client, signer, namespace: str, bootstrap: str):
        self.client, self.signer, self.namespace, self.bootstrap = client, signer, namespace, bootstrap

    form = staticmethod(form)
    new_kvk = staticmethod(new_kvk)

    def person(self, org=None, roles=(), **kw) -> dict[str, str]:
        person_id = kw.pop("person_id", uuid.uuid4())
        return bearer(self.signer, person_id=person_id, organisation_id=org, roles=roles,
                      name=kw.pop("name", "Jan de Vries"),
                      email=kw.pop("email", "jan@waterbedrijf.example.nl"), **kw)

    def registrant(self, data: dict[str, Any], **kw) -> dict[str, str]:
        """A person whose login attests the organisation of `data` (its KvK number or OIN)."""
        return self.person(None, (), kvk=data.get("kvk_number"), oin=data.get("oin"), **kw)

    def admin_of(self, org) -> dict[str, str]:
        return self.person(org, ["gebruiker", "beheerder_personen"])

    def analyst(self) -> dict[str, str]:
        return self.person(None, ["analist"])

    async def register(self, data: dict[str, Any], headers=None) -> dict[str, Any]:
        resp = await self.client.post("/organisations", json=data, headers=headers or self.registrant(data))
        assert resp.status_code == 201, resp.text
        return resp.json()

    async def events(self, org_id: str, event_type: str | None = None) -> list[CloudEvent]:
        """The events about one organisation that are on the namespaced Kafka topic now."""
        topic = self.namespace + topics.REGISTRY_ENTITIES
        consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, enable_auto_commit=False,
                                    auto_offset_reset="earliest")
        await consumer.start()
        try:
            await consumer._client.force_metadata_update()
            parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
            consumer.assign(parts)
            ends = await consumer.end_offsets(parts)
            await consumer.seek_to_beginning(*parts)
            found: list[CloudEvent] = []
            while [p for p in parts if await consumer.position(p) < ends[p]]:
                batch = await consumer.getmany(*parts, timeout_ms=1000)
                for records in batch.values():
                    for record in records:
                        event = CloudEvent.from_bytes(record.value)
                        if event.subject == org_id and (event_type is None or event.type == event_type):
                            found.append(event)
            return found
        finally:
            await consumer.stop()

    async def event(self, org_id: str, event_type: str, count: int = 1) -> list[CloudEvent]:
        """Wait until `count` events of this type about the organisation are on Kafka."""
        async def arrived():
            events = await self.events(org_id, event_type)
            return events if len(events) >= count else None
        return await eventually(arrived, timeout=30, every=0.3)


@pytest.fixture(scope="module")
async def registry(stack, signer):
    namespace = f"t{uuid.uuid4().hex[:8]}."
    async with running_service(create_app, RegistrySettings, stack, namespace, signer,
                               label="registry") as client:
        yield Registry(client, signer, namespace, stack.kafka_bootstrap)
