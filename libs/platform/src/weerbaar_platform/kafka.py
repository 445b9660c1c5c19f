"""Kafka clients: the idempotent producer the relay and the dead-letter path use, and topic
creation at start-up (production clusters usually forbid auto-creation)."""
from __future__ import annotations

import logging

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

log = logging.getLogger(__name__)


def new_producer(bootstrap: str, client_id: str) -> AIOKafkaProducer:
    # Idempotence makes the broker drop a batch the producer retried after a lost ack, so a
    # retry inside one producer session never duplicates; acks=all waits for the in-sync set.
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap, client_id=client_id, enable_idempotence=True, acks="all",
        linger_ms=5, request_timeout_ms=15_000,
    )


async def ensure_topics(bootstrap: str, topics: list[str], *, partitions: int = 3) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in dict.fromkeys(topics) if t not in existing]
        if missing:
            try:
                await admin.create_topics([NewTopic(t, partitions, 1) for t in missing])
            except TopicAlreadyExistsError:
                pass  # another replica was faster
            log.info("created topics", extra={"topics": missing})
    finally:
        await admin.close()
