"""Events per second through the whole reliable path — state change + outbox row in one
transaction, relay, Kafka, idempotent consumer (inbox + handler in one transaction, offset
committed after) — beside raw aiokafka produce-and-consume of the same messages, in one run.

    .venv/bin/python bench/outbox_throughput.py [--events 10000] [--rounds 3]

Needs the local stack's PostgreSQL and Kafka (`make up` or `weerbaar_stack.py up --infra`).
Prints each round, then the medians and the ratio pipeline/raw.
"""
import argparse
import logging
import asyncio
import statistics
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import asyncpg
from aiokafka import AIOKafkaConsumer
from faststream.kafka import KafkaBroker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy/local"))
import weerbaar_stack as local  # noqa: E402
from weerbaar_contracts import new_event, topics  # noqa: E402
from weerbaar_contracts.events.identity import RoleGrantedV1  # noqa: E402
from weerbaar_platform.consumer import EventConsumer  # noqa: E402
from weerbaar_platform.db import MESSAGING_TABLES, create_pool  # noqa: E402
from weerbaar_platform.kafka import ensure_topics, new_producer  # noqa: E402
from weerbaar_platform.outbox import enqueue  # noqa: E402
from weerbaar_platform.relay import OutboxRelay  # noqa: E402

WRITERS = 4
ORGS = [uuid.uuid4() for _ in range(50)]


def payload(i: int) -> RoleGrantedV1:
    return RoleGrantedV1(organisation_id=ORGS[i % len(ORGS)], person_id=uuid.uuid4(), role="gebruiker",
                         granted_by=None, usable_from=datetime(2026, 1, 1, tzinfo=timezone.utc))


async def fresh_db(label: str) -> str:
    name = f"bench_{label}_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(local.DATABASE_ADMIN_URL)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    return local.DATABASE_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


async def drop_db(dsn: str) -> None:
    conn = await asyncpg.connect(local.DATABASE_ADMIN_URL)
    await conn.execute(f'DROP DATABASE IF EXISTS "{dsn.rsplit("/", 1)[1]}" WITH (FORCE)')
    await conn.close()


async def raw_round(n: int) -> float:
    """The same CloudEvent bytes, produced idempotently and consumed with a commit per batch."""
    topic = f"bench.raw.{uuid.uuid4().hex[:8]}"
    await ensure_topics(local.KAFKA_BOOTSTRAP, [topic])
    values = [(payload(i).key().encode(), new_event(payload(i), source="/bench").to_bytes()) for i in range(n)]
    producer = new_producer(local.KAFKA_BOOTSTRAP, "bench-raw")
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=local.KAFKA_BOOTSTRAP, group_id=topic,
                                enable_auto_commit=False, auto_offset_reset="earliest")
    await producer.start()
    await consumer.start()
    t0 = time.perf_counter()
    futures = [await producer.send(topic, value=v, key=k) for k, v in values]
    await asyncio.gather(*futures)
    seen = 0
    while seen < n:
        batch = await consumer.getmany(timeout_ms=1000)
        seen += sum(len(r) for r in batch.values())
        await consumer.commit()
    elapsed = time.perf_counter() - t0
    await consumer.stop()
    await producer.stop()
    return n / elapsed


async def pipeline_round(n: int, prewritten: bool = False) -> float:
    """End to end from the first write; or, with `prewritten`, the relay and consumer alone
    draining n events already committed to the outbox."""
    ns = f"bench{uuid.uuid4().hex[:6]}."
    src, dst = await fresh_db("src"), await fresh_db("dst")
    for dsn, extra in ((src, "CREATE TABLE grants (id bigserial PRIMARY KEY, person uuid);"),
                       (dst, "CREATE TABLE handled (event_id text, person uuid);")):
        conn = await asyncpg.connect(dsn)
        await conn.execute(MESSAGING_TABLES + extra)
        await conn.close()
    await ensure_topics(local.KAFKA_BOOTSTRAP, [ns + topics.IDENTITY_PEOPLE, ns + topics.dead_letter("bench")])
    src_pool, dst_pool = await create_pool(src, max_size=WRITERS + 2), await create_pool(dst, max_size=4)
    producer = new_producer(local.KAFKA_BOOTSTRAP, "bench-pipeline")
    await producer.start()
    done = asyncio.Event()
    handled = 0

    async def handler(conn, p: RoleGrantedV1, event) -> None:
        nonlocal handled
        await conn.execute("INSERT INTO handled VALUES ($1, $2)", event.id, p.person_id)
        handled += 1
        if handled == n:
            done.set()

    async def writer(part: range) -> None:
        async with src_pool.acquire() as conn:
            for i in part:
                p = payload(i)
                async with conn.transaction():  # one state change, one event, one commit
                    await conn.execute("INSERT INTO grants (person) VALUES ($1)", p.person_id)
                    await enqueue(conn, p, source="/bench")

    async def start_pipeline():
        broker = KafkaBroker(local.KAFKA_BOOTSTRAP, log_level=logging.DEBUG)
        EventConsumer("bench", dst_pool, producer, {RoleGrantedV1: handler}, namespace=ns).subscribe(broker)
        await broker.start()
        relay = OutboxRelay(src_pool, producer, database_url=src, poll_seconds=0.2, topic_prefix=ns)
        return broker, relay, asyncio.create_task(relay.run())

    if prewritten:
        await asyncio.gather(*(writer(range(w, n, WRITERS)) for w in range(WRITERS)))
        t0 = time.perf_counter()
        broker, relay, relay_task = await start_pipeline()
        written = 0.0
    else:
        broker, relay, relay_task = await start_pipeline()
        t0 = time.perf_counter()
        await asyncio.gather(*(writer(range(w, n, WRITERS)) for w in range(WRITERS)))
        written = time.perf_counter() - t0
    await asyncio.wait_for(done.wait(), timeout=600)
    elapsed = time.perf_counter() - t0
    if not prewritten:
        print(f"    end to end: {n} state changes + outbox rows committed in {written:.2f}s "
              f"({n / written:.0f}/s); last event handled at {elapsed:.2f}s")
    relay_task.cancel()
    await asyncio.gather(relay_task, return_exceptions=True)
    await relay.close()
    await broker.stop()
    await producer.stop()
    distinct = await dst_pool.fetchval("SELECT count(DISTINCT event_id) FROM handled")
    await src_pool.close()
    await dst_pool.close()
    await drop_db(src)
    await drop_db(dst)
    assert distinct == n, f"handled {distinct} distinct events, expected {n}"
    return n / elapsed


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    raw, pipe, drain = [], [], []
    for r in range(args.rounds):
        raw.append(await raw_round(args.events))
        pipe.append(await pipeline_round(args.events))
        drain.append(await pipeline_round(args.events, prewritten=True))
        print(f"round {r + 1}: raw {raw[-1]:8.0f} ev/s   end to end {pipe[-1]:8.0f} ev/s   "
              f"relay+consumer drain {drain[-1]:8.0f} ev/s")
    mr, mp, md = statistics.median(raw), statistics.median(pipe), statistics.median(drain)
    print(f"median over {args.rounds} rounds of {args.events} events:")
    print(f"  raw aiokafka produce+consume (baseline)                  : {mr:8.0f} events/s")
    print(f"  end to end: commit + outbox -> relay -> Kafka -> consumer : {mp:8.0f} events/s  ratio {mp / mr:.3f}")
    print(f"  relay + idempotent consumer draining a full outbox        : {md:8.0f} events/s  ratio {md / mr:.3f}")


if __name__ == "__main__":
    asyncio.run(main())
