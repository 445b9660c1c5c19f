"""The consuming side: a FastStream subscriber that runs each event's handler exactly once.

For every record, in order:
1. read the CloudEvents envelope; unreadable -> dead-letter topic, with the reason;
2. find the payload class by `type`; a type no contract knows -> dead-letter topic; a known
   type this service does not handle is skipped;
3. validate the payload; invalid -> dead-letter topic;
4. in ONE database transaction: record the event id in the inbox (a replay finds it and stops)
   and run the handler, which writes its own tables (and may add outbox events);
5. only then does FastStream commit the offset (AckPolicy.NACK_ON_ERROR: ack after success).

A handler that keeps failing is retried a bounded number of times, then dead-lettered, so one
bad message never blocks its partition. When the database or Kafka is unreachable the record
is not dead-lettered: the subscriber seeks back and tries again after a pause.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.middlewares import AckPolicy
from pydantic import ValidationError
from weerbaar_contracts import CloudEvent, EventPayload
from weerbaar_contracts.catalog import payload_class
from weerbaar_contracts.topics import dead_letter

from . import correlation, failpoints

log = logging.getLogger(__name__)

Handler = Callable[[asyncpg.Connection, EventPayload, CloudEvent], Awaitable[None]]

#: Failures of the infrastructure, not of the message: never a reason to dead-letter.
TRANSIENT = (OSError, asyncio.TimeoutError, KafkaError, asyncpg.PostgresConnectionError,
             asyncpg.InterfaceError, asyncpg.CannotConnectNowError, asyncpg.TooManyConnectionsError,
             asyncpg.SerializationError, asyncpg.DeadlockDetectedError)


class EventConsumer:
    def __init__(self, service: str, pool: asyncpg.Pool, producer: AIOKafkaProducer,
                 handlers: dict[type[EventPayload], Handler], *, max_attempts: int = 3,
                 retry_seconds: float = 0.5, namespace: str = ""):
        self.service, self.pool, self.producer = service, pool, producer
        self.handlers = handlers
        self.max_attempts, self.retry_seconds = max_attempts, retry_seconds
        self.namespace = namespace
        self.dead_letter_topic = namespace + dead_letter(service)

    @property
    def topics(self) -> list[str]:
        return sorted({self.namespace + cls.topic for cls in self.handlers})

    def subscribe(self, broker: KafkaBroker) -> None:
        if not self.handlers:
            return

        @broker.subscriber(*self.topics, group_id=f"{self.namespace}weerbaar-{self.service}",
                           ack_policy=AckPolicy.NACK_ON_ERROR, auto_offset_reset="earliest",
                           title=f"{self.service}-events",
                           description="Events this service reacts to: " + ", ".join(
                               sorted(c.cloudevents_type() for c in self.handlers)))
        async def on_record(msg: KafkaMessage) -> None:
            await self.handle(msg.raw_message)

    async def handle(self, record) -> str:
        """Process one Kafka record; returns what happened (for tests and logs)."""
        try:
            event = CloudEvent.from_bytes(record.value or b"")
        except (ValidationError, ValueError) as exc:
            return await self._dead_letter(record, f"malformed CloudEvent: {_short(exc)}")
        cls = payload_class(event.type)
        if cls is None:
            return await self._dead_letter(record, f"unknown event type {event.type!r}")
        handler = self.handlers.get(cls)
        if handler is None:
            return "skipped"
        try:
            payload = cls.model_validate(event.data)
        except ValidationError as exc:
            return await self._dead_letter(record, f"invalid {event.type} payload: {_short(exc)}")

        token = correlation.set_current(event.correlationid)
        try:
            for attempt in range(1, self.max_attempts + 1):
                try:
                    outcome = await self._apply(handler, payload, event)
                    failpoints.hit("consumer.after_commit")
                    return outcome
                except TRANSIENT as exc:
                    log.warning("infrastructure unavailable; the record will be redelivered",
                                extra={"event_id": event.id, "error": repr(exc)})
                    await asyncio.sleep(max(self.retry_seconds, 1.0))
                    raise
                except Exception as exc:
                    if attempt == self.max_attempts:
                        log.exception("handler failed; dead-lettering", extra={"event_id": event.id})
                        return await self._dead_letter(
                            record, f"handler failed {attempt} times: {_short(exc)}")
                    await asyncio.sleep(self.retry_seconds * attempt)
            raise AssertionError("unreachable")
        finally:
            correlation.reset(token)

    async def _apply(self, handler: Handler, payload: EventPayload, event: CloudEvent) -> str:
        async with self.pool.acquire() as conn, conn.transaction():
            fresh = await conn.fetchval(
                "INSERT INTO inbox (consumer, event_id, event_type) VALUES ($1, $2, $3) "
                "ON CONFLICT DO NOTHING RETURNING true", self.service, event.id, event.type)
            if not fresh:
                return "duplicate"
            await handler(conn, payload, event)
        return "handled"

    async def _dead_letter(self, record, reason: str) -> str:
        headers = list(record.headers or []) + [
            ("dlq.reason", reason.encode()),
            ("dlq.consumer", self.service.encode()),
            ("dlq.original.topic", record.topic.encode()),
            ("dlq.original.partition", str(record.partition).encode()),
            ("dlq.original.offset", str(record.offset).encode()),
            ("dlq.failed.at", datetime.now(timezone.utc).isoformat().encode()),
        ]
        # Wait for the broker's ack: the offset is committed only after this returns.
        await self.producer.send_and_wait(self.dead_letter_topic, value=record.value,
                                          key=record.key, headers=headers)
        log.error("dead-lettered a record", extra={"reason": reason, "topic": record.topic,
                                                   "partition": record.partition, "offset": record.offset})
        return "dead-lettered"


def _short(exc: Exception, limit: int = 500) -> str:
    return str(exc).replace("\n", " ")[:limit]
