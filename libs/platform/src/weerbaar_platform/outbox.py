"""The transactional outbox: an event is written in the same transaction as the state change
it announces, and the relay publishes it afterwards. Either both happen or neither."""
from __future__ import annotations

import zlib

import asyncpg
from weerbaar_contracts import CloudEvent, EventPayload, new_event

from . import correlation

NOTIFY_CHANNEL = "weerbaar_outbox"
#: Events of one key always fall in one lane; one relay at a time works a lane, so per-key
#: order holds with any number of relay replicas while lanes still spread the work.
LANES = 8


def lane_of(key: str) -> int:
    return zlib.crc32(key.encode()) % LANES


async def enqueue(conn: asyncpg.Connection, payload: EventPayload, *, source: str) -> CloudEvent:
    """Add an event to the outbox. Must be called inside the transaction of the state change."""
    if not conn.is_in_transaction():
        raise RuntimeError("outbox.enqueue must run inside the state change's transaction")
    event = new_event(payload, source=source, correlation_id=correlation.current())
    key = payload.key()
    await conn.execute(
        "INSERT INTO outbox (event_id, topic, key, lane, payload) VALUES ($1, $2, $3, $4, $5)",
        event.id, payload.topic, key, lane_of(key), event.to_bytes(),
    )
    # Delivered at commit only; wakes the relay at once instead of at its next poll.
    await conn.execute("SELECT pg_notify($1, '')", NOTIFY_CHANNEL)
    return event
