"""A relay or a consumer as its own process, so tests can SIGKILL it at a failpoint.

    python worker.py relay    --dsn D --bootstrap B --ns NS
    python worker.py consumer --dsn D --bootstrap B --ns NS

The consumer handles `identity.role.granted.v1` by writing a row to `handled` (no unique key:
a second run of the handler for one event would show as a second row)."""
import argparse
import logging
import asyncio

from faststream.kafka import KafkaBroker
from weerbaar_contracts.events.identity import RoleGrantedV1
from weerbaar_platform.consumer import EventConsumer
from weerbaar_platform.db import create_pool
from weerbaar_platform.kafka import new_producer
from weerbaar_platform.relay import OutboxRelay


async def handle_role_granted(conn, payload: RoleGrantedV1, event) -> None:
    await conn.execute(
        "INSERT INTO handled (event_id, organisation_id, usable_from) VALUES ($1, $2, $3)",
        event.id, payload.organisation_id, payload.usable_from)


async def main(args) -> None:
    pool = await create_pool(args.dsn, max_size=4)
    producer = new_producer(args.bootstrap, f"worker-{args.role}")
    await producer.start()
    if args.role == "relay":
        await OutboxRelay(pool, producer, database_url=args.dsn, batch=args.batch,
                          poll_seconds=0.2, topic_prefix=args.ns).run()
        return
    broker = KafkaBroker(args.bootstrap, log_level=logging.DEBUG)
    EventConsumer("foundationtest", pool, producer, {RoleGrantedV1: handle_role_granted},
                  namespace=args.ns, retry_seconds=0.05).subscribe(broker)
    await broker.start()
    await asyncio.Event().wait()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("role", choices=["relay", "consumer"])
    ap.add_argument("--dsn", required=True)
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--ns", required=True)
    ap.add_argument("--batch", type=int, default=50)
    asyncio.run(main(ap.parse_args()))
