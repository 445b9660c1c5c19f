"""Fixtures of notify's stack tests; helpers are in notify_support.py (same folder)."""
import sys
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaProducer

sys.path.insert(0, str(Path(__file__).parent))

from notify_support import Mailbox, Publisher  # noqa: E402


@pytest.fixture
async def mailbox(stack):
    if not stack.mailbox_url:
        pytest.skip("no mail catcher in this stack")
    async with httpx.AsyncClient(base_url=stack.mailbox_url, timeout=10) as client:
        yield Mailbox(client)


@pytest.fixture
async def publish(stack, kafka_namespace):
    producer = AIOKafkaProducer(bootstrap_servers=stack.kafka_bootstrap, enable_idempotence=True, acks="all")
    await producer.start()
    try:
        yield Publisher(producer, kafka_namespace)
    finally:
        await producer.stop()
