"""A message a consumer cannot handle goes to the dead-letter topic with the reason, and the
next good message on the same partition is still handled."""
import asyncio
import json
from datetime import datetime, timezone
from uuid import uuid4

import pytest
from weerbaar_platform.testing import eventually
from aiokafka import AIOKafkaProducer
from faststream.kafka import KafkaBroker
from weerbaar_contracts import new_event, topics
from weerbaar_contracts.events.identity import RoleGrantedV1
from weerbaar_platform.consumer import EventConsumer
from weerbaar_platform.db import create_pool
from weerbaar_platform.kafka import ensure_topics, new_producer

from .support import HANDLED_TABLE, prepare, records_in

pytestmark = pytest.mark.stack
POISON_PERSON = uuid4()


async def handler(conn, payload: RoleGrantedV1, event) -> None:
    if payload.person_id == POISON_PERSON:
        raise ValueError("this person breaks the handler every time")
    await conn.execute("INSERT INTO handled (event_id, organisation_id, usable_from) VALUES ($1, $2, $3)",
                       event.id, payload.organisation_id, payload.usable_from)


def grant(org, person=None):
    return RoleGrantedV1(organisation_id=org, person_id=person or uuid4(), role="gebruiker",
                         granted_by=None, usable_from=datetime(2026, 1, 1, tzinfo=timezone.utc))


async def test_bad_messages_are_dead_lettered_and_the_partition_moves_on(stack, kafka_namespace):
    dsn = await stack.fresh_database("dlq")
    await prepare(dsn, HANDLED_TABLE)
    topic = kafka_namespace + topics.IDENTITY_PEOPLE
    dlq = kafka_namespace + topics.dead_letter("foundationtest")
    await ensure_topics(stack.kafka_bootstrap, [topic, dlq])
    org = uuid4()
    key = str(org).encode()  # one key: everything lands on one partition, in this order
    good = new_event(grant(org), source="/test")
    unknown = new_event(grant(org), source="/test").model_copy(update={"type": "nl.weerbaar.nobody.knows.v1"})
    invalid = new_event(grant(org), source="/test")
    invalid.data["role"] = "keizer"
    poison = new_event(grant(org, POISON_PERSON), source="/test")
    raw = AIOKafkaProducer(bootstrap_servers=stack.kafka_bootstrap)
    await raw.start()
    deep = b'{"a":' * 50_000 + b"1" + b"}" * 50_000  # json.loads raises RecursionError on it
    for value in (b"{not json", deep, unknown.to_bytes(), invalid.to_bytes(), poison.to_bytes(), good.to_bytes()):
        await raw.send_and_wait(topic, value=value, key=key)
    await raw.stop()

    pool = await create_pool(dsn)
    producer = new_producer(stack.kafka_bootstrap, "dlq-test")
    await producer.start()
    broker = KafkaBroker(stack.kafka_bootstrap)
    EventConsumer("foundationtest", pool, producer, {RoleGrantedV1: handler}, namespace=kafka_namespace,
                  max_attempts=3, retry_seconds=0.01).subscribe(broker)
    await broker.start()
    try:
        rows = await eventually(lambda: pool.fetch("SELECT event_id FROM handled"), timeout=60)
        assert [r["event_id"] for r in rows] == [good.id]
        dead = await eventually(_at_least(stack.kafka_bootstrap, dlq, 5), timeout=30)
    finally:
        await broker.stop()
        await producer.stop()
        await pool.close()

    reasons = [dict(r.headers)["dlq.reason"].decode() for r in dead]
    assert reasons[0].startswith("malformed CloudEvent")
    assert reasons[1].startswith("malformed CloudEvent") and "recursion limit" in reasons[1]
    assert reasons[2] == "unknown event type 'nl.weerbaar.nobody.knows.v1'"
    assert reasons[3].startswith("invalid nl.weerbaar.identity.role.granted.v1 payload") and "role" in reasons[3]
    assert reasons[4] == "handler failed 3 times: this person breaks the handler every time"
    assert dead[0].value == b"{not json"  # the original message travels with its reason
    assert dead[1].value == deep
    assert json.loads(dead[4].value)["id"] == poison.id
    assert all(dict(r.headers)["dlq.original.topic"].decode() == topic for r in dead)


def _at_least(bootstrap, topic, n):
    async def check():
        found = await records_in(bootstrap, topic)
        return found if len(found) >= n else None
    return check
