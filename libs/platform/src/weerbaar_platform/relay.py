"""The outbox relay: publishes outbox rows to Kafka in order, then marks them published.

- Woken by LISTEN/NOTIFY when a transaction adds an event; a slow poll is the backstop.
- Safe with several replicas: a relay takes a lane with a transaction-scoped advisory lock
  (one relay per lane at a time, so per-key order holds) and its rows FOR UPDATE SKIP LOCKED.
- If the process dies after sending and before marking, the rows are sent again on restart;
  consumers drop the copy by event id (the inbox). Nothing is lost; nothing is done twice.
"""
from __future__ import annotations

import asyncio
import logging

import asyncpg
from aiokafka import AIOKafkaProducer

from . import failpoints
from .outbox import LANES, NOTIFY_CHANNEL

log = logging.getLogger(__name__)
RELAY_LOCK_CLASS = 727_002
CLOUDEVENTS_JSON = [("content-type", b"application/cloudevents+json")]


class OutboxRelay:
    def __init__(self, pool: asyncpg.Pool, producer: AIOKafkaProducer, *, database_url: str,
                 batch: int = 500, poll_seconds: float = 1.0, keep_published_hours: int = 24,
                 topic_prefix: str = ""):
        self.pool, self.producer, self.database_url = pool, producer, database_url
        self.batch, self.poll_seconds = batch, poll_seconds
        self.keep_published_hours = keep_published_hours
        self.topic_prefix = topic_prefix
        self._wake = asyncio.Event()
        self._listener: asyncpg.Connection | None = None

    async def run(self) -> None:
        rounds = 0
        while True:
            await self._ensure_listener()
            try:
                sent = await self.publish_pending()
                rounds += 1
                if rounds % 600 == 0:
                    await self.forget_published()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Kafka or PostgreSQL away: rows stay; try again soon
                log.warning("outbox relay could not publish, will retry", extra={"error": repr(exc)})
                await asyncio.sleep(self.poll_seconds)
                continue
            if sent == 0:
                try:
                    await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
                except asyncio.TimeoutError:
                    pass
                self._wake.clear()

    async def close(self) -> None:
        if self._listener is not None and not self._listener.is_closed():
            await self._listener.close()

    async def _ensure_listener(self) -> None:
        if self._listener is not None and not self._listener.is_closed():
            return
        try:
            self._listener = await asyncpg.connect(self.database_url, timeout=5)
            await self._listener.add_listener(NOTIFY_CHANNEL, lambda *_: self._wake.set())
        except Exception:
            self._listener = None  # polling still works; try LISTEN again next round

    async def publish_pending(self) -> int:
        total = 0
        for lane in range(LANES):
            while True:
                sent = await self._publish_lane(lane)
                total += sent
                if sent < self.batch:
                    break
        return total

    async def _publish_lane(self, lane: int) -> int:
        async with self.pool.acquire() as conn, conn.transaction():
            if not await conn.fetchval("SELECT pg_try_advisory_xact_lock($1, $2)", RELAY_LOCK_CLASS, lane):
                return 0  # another replica works this lane right now
            rows = await conn.fetch(
                "SELECT id, topic, key, payload FROM outbox WHERE lane = $1 AND published_at IS NULL "
                "ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED", lane, self.batch)
            if not rows:
                return 0
            pending = [await self.producer.send(self.topic_prefix + r["topic"], value=r["payload"], key=r["key"].encode(),
                                                headers=CLOUDEVENTS_JSON) for r in rows]
            await asyncio.gather(*pending)
            failpoints.hit("relay.after_send")
            await conn.execute("UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])",
                               [r["id"] for r in rows])
            return len(rows)

    async def forget_published(self) -> None:
        await self.pool.execute(
            "DELETE FROM outbox WHERE published_at < now() - make_interval(hours => $1)",
            self.keep_published_hours)
