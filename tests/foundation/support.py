"""Helpers shared by the foundation tests."""
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from uuid import UUID, uuid4

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition
from weerbaar_contracts.events.identity import RoleGrantedV1
from weerbaar_platform.db import MESSAGING_TABLES
from weerbaar_platform.outbox import enqueue

WORKER = Path(__file__).with_name("worker.py")
HANDLED_TABLE = """CREATE TABLE handled (
    id bigserial PRIMARY KEY, event_id text NOT NULL, organisation_id uuid NOT NULL,
    usable_from timestamptz NOT NULL, at timestamptz NOT NULL DEFAULT now());"""


async def prepare(dsn: str, extra: str = "") -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(MESSAGING_TABLES + extra)
    finally:
        await conn.close()


async def write_events(dsn: str, organisations: list[UUID], per_org: int) -> int:
    """State change and event in one transaction each, as a service would write them."""
    base = datetime(2026, 1, 1, tzinfo=timezone.utc)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("CREATE TABLE IF NOT EXISTS grants (id bigserial PRIMARY KEY, org uuid, person uuid)")
        for i in range(per_org):
            for org in organisations:
                person = uuid4()
                async with conn.transaction():
                    await conn.execute("INSERT INTO grants (org, person) VALUES ($1, $2)", org, person)
                    await enqueue(conn, RoleGrantedV1(
                        organisation_id=org, person_id=person, role="gebruiker", granted_by=None,
                        usable_from=base + timedelta(seconds=i)), source="/test/producer")
    finally:
        await conn.close()
    return len(organisations) * per_org


def start(role: str, dsn: str, bootstrap: str, ns: str, failpoint: str | None = None,
          batch: int = 50) -> subprocess.Popen:
    env = {"WEERBAAR_FAILPOINTS": failpoint} if failpoint else {}
    import os
    return subprocess.Popen([sys.executable, str(WORKER), role, "--dsn", dsn, "--bootstrap", bootstrap,
                             "--ns", ns, "--batch", str(batch)], env={**os.environ, **env})


def wait_exit(proc: subprocess.Popen, timeout: float = 60) -> int:
    return proc.wait(timeout=timeout)


async def records_in(bootstrap: str, topic: str) -> list:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                                auto_offset_reset="earliest")
    await consumer.start()
    try:
        parts = [TopicPartition(topic, p) for p in (consumer.partitions_for_topic(topic) or
                                                    await _partitions(consumer, topic))]
        consumer.assign(parts)
        ends = await consumer.end_offsets(parts)
        await consumer.seek_to_beginning(*parts)
        out = []
        while [p for p in parts if await consumer.position(p) < ends[p]]:
            batch = await consumer.getmany(timeout_ms=1000)
            for recs in batch.values():
                out.extend(recs)
        return out
    finally:
        await consumer.stop()


async def _partitions(consumer, topic):
    await consumer._client.force_metadata_update()
    return consumer.partitions_for_topic(topic) or set()


async def group_lag(bootstrap: str, group_id: str, topic: str) -> int:
    """How many records of `topic` the consumer group has not committed yet (all partitions)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group_id, enable_auto_commit=False)
    await consumer.start()
    try:
        parts = [TopicPartition(topic, p) for p in await _partitions(consumer, topic)]
        ends = await consumer.end_offsets(parts)
        lag = 0
        for part in parts:
            committed = await consumer.committed(part)
            lag += ends[part] - (committed or 0)
        return lag
    finally:
        await consumer.stop()
