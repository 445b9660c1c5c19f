"""Helpers for notify's stack tests (the fixtures are in conftest.py). Every test uses its own
addresses (a uuid in each), so tests running side by side never see each other's mail; nothing
here clears the shared mail catcher."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import httpx
from aiokafka import AIOKafkaProducer
from weerbaar_contracts import EventPayload, new_event
from weerbaar_platform.testing import running_service

from notify.app import create_app
from notify.settings import NotifySettings

MIGRATIONS = Path(__import__("notify").__file__).parent / "migrations"


def unique_address(who: str, domain: str = "example.nl") -> str:
    return f"{who}-{uuid.uuid4().hex[:10]}@{domain}"


@dataclass
class Mailbox:
    client: httpx.AsyncClient

    async def to(self, address: str) -> list[dict]:
        response = await self.client.get("/api/messages", params={"to": address})
        response.raise_for_status()
        return [m for m in response.json() if address.lower() in [t.lower() for t in m["to"]]]

    async def read(self, message_id: int) -> dict:
        response = await self.client.get(f"/api/messages/{message_id}")
        response.raise_for_status()
        return response.json()

    async def fault(self, rcpt: str, replies: list[str], stage: str = "rcpt") -> None:
        (await self.client.post("/api/faults", json={"rcpt": rcpt, "replies": replies, "stage": stage})).raise_for_status()


class Publisher:
    """Plays the other services: their events, on their topics, in this test's namespace."""

    def __init__(self, producer: AIOKafkaProducer, namespace: str):
        self.producer, self.namespace = producer, namespace
        self.count = 0

    async def __call__(self, payload: EventPayload, source: str = "/weerbaar/test") -> str:
        event = new_event(payload, source=source)
        await self.producer.send_and_wait(self.namespace + payload.topic, value=event.to_bytes(),
                                          key=payload.key().encode())
        self.count += 1
        return event.id


def notify_service(stack, kafka_namespace, signer, **overrides):
    settings = dict(smtp_host=stack.smtp_host or "127.0.0.1", smtp_port=stack.smtp_port or 28025,
                    portal_base_url="https://portaal.weerbaar.test", sender_poll_seconds=0.2,
                    retry_base_seconds=0.3, send_rate_per_second=0, digest_poll_seconds=3600)
    settings.update(overrides)
    return running_service(create_app, NotifySettings, stack, kafka_namespace, signer, label="notify", **settings)


async def fetch(client, sql: str, *args):
    """Query notify's own database (the one `running_service` made) through its pool."""
    async with client.app.state.runtime.pool.acquire() as conn:
        return await conn.fetch(sql, *args)


def now() -> datetime:
    return datetime.now(timezone.utc)
