"""The consuming side: a FastStream subscriber that runs each event's handler exactly once.

For every record, in order:
1. read the CloudEvents envelope; unreadable -> dead-letter topic, with the reason;
2. find the payload class by `type`; a type no contract knows -> dead-letter topic; a known
   type this service does not handle is skipped;
3. validate the payload; invalid -> dead-letter topic;
4. in the batch's database transaction, in a savepoint of its own: record the event id in the
   inbox (a replay finds it and stops) and run the handler, which writes its own tables (and
   may add outbox events);
5. only after the batch's transaction commits does FastStream commit the offsets
   (AckPolicy.NACK_ON_ERROR: ack after success; on an exception it seeks back instead).

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
                 retry_seconds: float = 0.5, namespace: str = "", batch_size: int = 200):
        self.service, self.pool, self.producer = service, pool, producer
        self.handlers = handlers
        self.max_attempts, self.retry_seconds = max_attempts, retry_seconds
        self.namespace = namespace
        self.batch_size = batch_size
        self.dead_letter_topic = namespace + dead_letter(service)

    @property
    def topics(self) -> list[str]:
        return sorted({self.namespace + cls.topic for cls in self.handlers})

    def subscribe(self, broker: KafkaBroker) -> None:
        if not self.handlers:
            return

        @broker.subscriber(*self.topics, group_id=f"{self.namespace}weerbaar-{self.service}",
                           decoder=_raw_records,
                           batch=True, max_records=self.batch_size, batch_timeout_ms=100,
                           ack_policy=AckPolicy.NACK_ON_ERROR, auto_offset_reset="earliest",
                           title=f"{self.service}-events",
                           description="Events this service reacts to: " + ", ".join(
                               sorted(c.cloudevents_type() for c in self.handlers)))
        async def on_records(msg: KafkaMessage) -> None:
            records = msg.raw_message if isinstance(msg.raw_message, tuple) else (msg.raw_message,)
            await self.handle_batch(records)

    async def handle_batch(self, records) -> list[str]:
        """Process records in order in one database transaction: one duplicate check and one
        inbox insert for the whole batch. Only if a handler fails is the batch redone record by
        record, each in a savepoint with bounded retries. Dead-lettering happens after the
        commit, so a redo never sends a record to the dead-letter topic twice."""
        items = [self._parse(r) for r in records]
        todo = [i for i in items if i.handler is not None]
        if todo:
            try:
                await self._all_at_once(todo)
            except TRANSIENT as exc:
                await self._pause(exc)
                raise  # the batch rolled back; FastStream seeks back and it comes again
            except Exception:
                for item in todo:
                    item.outcome = None
                try:
                    await self._one_by_one(todo)
                except TRANSIENT as exc:
                    await self._pause(exc)
                    raise
        for item in items:
            if item.dead_reason:
                item.outcome = await self._dead_letter(item.record, item.dead_reason)
        failpoints.hit("consumer.after_commit")
        return [item.outcome for item in items]

    async def handle(self, record) -> str:
        return (await self.handle_batch([record]))[0]

    def _parse(self, record) -> "_Item":
        item = _Item(record)
        try:
            item.event = CloudEvent.from_bytes(record.value or b"")
        except (ValidationError, ValueError) as exc:
            item.dead_reason = f"malformed CloudEvent: {_short(exc)}"
            return item
        cls = payload_class(item.event.type)
        if cls is None:
            item.dead_reason = f"unknown event type {item.event.type!r}"
            return item
        handler = self.handlers.get(cls)
        if handler is None:
            item.outcome = "skipped"
            return item
        try:
            item.payload = cls.model_validate(item.event.data)
        except ValidationError as exc:
            item.dead_reason = f"invalid {item.event.type} payload: {_short(exc)}"
            return item
        item.handler = handler
        return item

    async def _run(self, conn, item: "_Item") -> None:
        token = correlation.set_current(item.event.correlationid)
        try:
            await item.handler(conn, item.payload, item.event)
        finally:
            correlation.reset(token)

    async def _all_at_once(self, todo: list["_Item"]) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            seen = {r["event_id"] for r in await conn.fetch(
                "SELECT event_id FROM inbox WHERE consumer = $1 AND event_id = ANY($2::text[])",
                self.service, [i.event.id for i in todo])}
            fresh = []
            for item in todo:
                if item.event.id in seen:
                    item.outcome = "duplicate"
                    continue
                seen.add(item.event.id)
                await self._run(conn, item)
                item.outcome = "handled"
                fresh.append(item)
            if fresh:
                # No ON CONFLICT: if another consumer raced us (a rebalance), this fails and
                # rolls the batch back, and the careful path below finds the duplicates.
                await conn.execute(
                    "INSERT INTO inbox (consumer, event_id, event_type) "
                    "SELECT $1, e, t FROM unnest($2::text[], $3::text[]) AS u(e, t)",
                    self.service, [i.event.id for i in fresh], [i.event.type for i in fresh])

    async def _one_by_one(self, todo: list["_Item"]) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            for item in todo:
                for attempt in range(1, self.max_attempts + 1):
                    try:
                        async with conn.transaction():  # a savepoint: a failure undoes this record only
                            fresh = await conn.fetchval(
                                "INSERT INTO inbox (consumer, event_id, event_type) VALUES ($1, $2, $3) "
                                "ON CONFLICT DO NOTHING RETURNING true",
                                self.service, item.event.id, item.event.type)
                            if fresh:
                                await self._run(conn, item)
                        item.outcome = "handled" if fresh else "duplicate"
                        break
                    except TRANSIENT:
                        raise
                    except Exception as exc:
                        if attempt == self.max_attempts:
                            log.exception("handler failed; dead-lettering", extra={"event_id": item.event.id})
                            item.dead_reason = f"handler failed {attempt} times: {_short(exc)}"
                        else:
                            await asyncio.sleep(self.retry_seconds * attempt)

    async def _pause(self, exc: Exception) -> None:
        log.warning("infrastructure unavailable; the batch will be redelivered", extra={"error": repr(exc)})
        await asyncio.sleep(max(self.retry_seconds, 1.0))

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


async def _raw_records(msg):
    """Leave the records as Kafka gave them: this consumer reads each one itself (`_parse`).
    FastStream's own decoder would run json.loads first, and a record nested deeply enough to
    raise RecursionError there would come back forever instead of reaching the dead-letter topic."""
    return msg.raw_message


class _Item:
    """One record of a batch on its way through the consumer."""

    __slots__ = ("record", "event", "payload", "handler", "outcome", "dead_reason")

    def __init__(self, record):
        self.record = record
        self.event: CloudEvent | None = None
        self.payload: EventPayload | None = None
        self.handler: Handler | None = None
        self.outcome: str | None = None
        self.dead_reason: str | None = None


def _short(exc: Exception, limit: int = 500) -> str:
    return str(exc).replace("\n", " ")[:limit]
