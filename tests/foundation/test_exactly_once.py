"""An event written with a state change reaches a handler in another service exactly once,
also when the relay dies after sending and before marking, and when the consumer dies after
its database commit and before its offset commit. Asserted on the handler's table."""
import signal
from uuid import uuid4

import asyncpg
import pytest
from weerbaar_platform.testing import eventually
from weerbaar_contracts import topics

from .support import HANDLED_TABLE, group_lag, prepare, records_in, start, wait_exit, write_events

pytestmark = pytest.mark.stack


async def test_exactly_once_through_relay_and_consumer_crashes(stack, kafka_namespace):
    producer_db = await stack.fresh_database("producer")
    consumer_db = await stack.fresh_database("consumer")
    await prepare(producer_db)
    await prepare(consumer_db, HANDLED_TABLE)
    organisations = [uuid4() for _ in range(10)]
    total = await write_events(producer_db, organisations, per_org=20)

    # 1. The relay dies (SIGKILL) right after Kafka acknowledged its first batch.
    relay = start("relay", producer_db, stack.kafka_bootstrap, kafka_namespace, "relay.after_send")
    assert wait_exit(relay) == -signal.SIGKILL
    pconn = await asyncpg.connect(producer_db)
    assert await pconn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NOT NULL") == 0
    topic = kafka_namespace + topics.IDENTITY_PEOPLE
    sent_before_crash = len(await records_in(stack.kafka_bootstrap, topic))
    assert sent_before_crash > 0, "the relay should have sent a batch before it was killed"

    # 2. The consumer dies (SIGKILL) right after committing its first batch's transaction,
    #    before Kafka heard of it: that whole batch will be delivered again.
    consumer = start("consumer", consumer_db, stack.kafka_bootstrap, kafka_namespace, "consumer.after_commit")
    assert wait_exit(consumer) == -signal.SIGKILL
    cconn = await asyncpg.connect(consumer_db)
    committed_before_crash = await cconn.fetchval("SELECT count(*) FROM handled")
    assert committed_before_crash > 0
    assert await cconn.fetchval("SELECT count(*) FROM inbox") == committed_before_crash

    # 3. Both come back without failpoints and finish the work.
    relay = start("relay", producer_db, stack.kafka_bootstrap, kafka_namespace)
    consumer = start("consumer", consumer_db, stack.kafka_bootstrap, kafka_namespace)
    try:
        await eventually(lambda: _all_published(pconn), timeout=60)
        await eventually(lambda: _count_is(cconn, total), timeout=60)
        records = await records_in(stack.kafka_bootstrap, topic)
        assert len(records) == total + sent_before_crash, "the crashed batch was sent twice"
        # The copies from the relay crash must also have been read (and dropped by the inbox)
        # before the count below means anything: wait until the group has committed everything.
        group = f"{kafka_namespace}weerbaar-foundationtest"
        await eventually(lambda: _nothing_left(stack.kafka_bootstrap, group, topic), timeout=60)
    finally:
        for proc in (relay, consumer):
            proc.kill()
            proc.wait()

    rows = await cconn.fetch("SELECT event_id, organisation_id, usable_from FROM handled ORDER BY id")
    assert len(rows) == total
    assert len({r["event_id"] for r in rows}) == total
    for org in organisations:  # per-key order survives crashes and redelivery
        times = [r["usable_from"] for r in rows if r["organisation_id"] == org]
        assert times == sorted(times) and len(times) == 20
    await pconn.close()
    await cconn.close()


async def _all_published(conn):
    return await conn.fetchval("SELECT count(*) = 0 FROM outbox WHERE published_at IS NULL")


async def _count_is(conn, n):
    return await conn.fetchval("SELECT count(*) FROM handled") >= n


async def _nothing_left(bootstrap, group, topic):
    return await group_lag(bootstrap, group, topic) == 0
