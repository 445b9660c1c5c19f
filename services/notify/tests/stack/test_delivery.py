"""Delivery you can trust: the sender killed mid-batch right after the relay accepted a mail
leaves each recipient with exactly one copy after restart; 4xx then 2xx is delivered after a
retry; 5xx is recorded as failed with the relay's reason and announced as DeliveryFailedV1."""
import os
import signal
import subprocess
import sys
from pathlib import Path
from uuid import uuid4

import pytest
from weerbaar_platform.db import create_pool, upgrade_async
from weerbaar_platform.testing import eventually

from notify.adapters.messages import Targets, queue
from notify.domain.categories import Category
from notify_support import MIGRATIONS, fetch, notify_service, unique_address

pytestmark = pytest.mark.stack
WORKER = Path(__file__).with_name("sender_worker.py")


async def _store_messages(conn, addresses: list[str]) -> None:
    people = [uuid4() for _ in addresses]
    async with conn.transaction():
        for person, address in zip(people, addresses):
            await conn.execute("INSERT INTO persons (id, name, email) VALUES ($1, 'Test', $2)", person, address)
        await queue(conn, event_id=str(uuid4()), kind="role_activated", category=Category.ROLES,
                    context={"role": "gebruiker", "organisation_name": "Test B.V.", "path": "/"},
                    targets=Targets(person_ids=people))


def _sender(dsn: str, port: int, failpoint: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "WEERBAAR_FAILPOINTS": failpoint or ""}
    return subprocess.Popen([sys.executable, str(WORKER), "--dsn", dsn, "--smtp-port", str(port), "--batch", "20"],
                            env=env)


async def test_killed_sender_mid_batch_leaves_exactly_one_copy_per_recipient(stack, mailbox):
    dsn = await stack.fresh_database("notifykill")
    await upgrade_async(dsn, MIGRATIONS)
    addresses = [unique_address(f"kill{i}") for i in range(20)]
    pool = await create_pool(dsn, max_size=2)
    conn = await pool.acquire()
    try:
        await _store_messages(conn, addresses)

        # The sender claims a batch of 20 and dies right after the relay accepted the first.
        killed = _sender(dsn, stack.smtp_port, "notify.after_smtp")
        assert killed.wait(timeout=60) == -signal.SIGKILL
        states = await conn.fetch("SELECT status, data_started_at IS NOT NULL AS at_data FROM messages")
        assert [(r["status"], r["at_data"]) for r in states].count(("sending", True)) == 1
        assert [(r["status"], r["at_data"]) for r in states].count(("sending", False)) == 19
        delivered_before = [a for a in addresses if await mailbox.to(a)]
        assert len(delivered_before) == 1

        # Restarted, it recovers the dead sender's claims and finishes the batch.
        restarted = _sender(dsn, stack.smtp_port)
        try:
            await eventually(lambda: conn.fetchval("SELECT count(*) = 0 FROM messages WHERE status IN ('queued', 'sending')"),
                             timeout=60)
        finally:
            restarted.kill()
            restarted.wait()
        for address in addresses:
            assert len(await mailbox.to(address)) == 1, address
        rows = await conn.fetch("SELECT recipient, status FROM messages")
        assert {r["recipient"]: r["status"] for r in rows}[delivered_before[0].lower()] == "unconfirmed"
        assert sorted(r["status"] for r in rows).count("sent") == 19
    finally:
        await pool.release(conn)
        await pool.close()


async def test_temporary_refusal_is_retried_and_permanent_refusal_is_recorded(stack, kafka_namespace, signer, mailbox):
    later, never = unique_address("later"), unique_address("never")
    await mailbox.fault(later, ["451 4.3.0 try later", "250"])
    await mailbox.fault(never, ["550 5.1.1 no such user"])
    async with notify_service(stack, kafka_namespace, signer) as notify:
        async with notify.app.state.runtime.pool.acquire() as conn:
            await _store_messages(conn, [later, never])

        sent = await eventually(lambda: fetch(notify, "SELECT attempts, last_error FROM messages "
                                                      "WHERE recipient = $1 AND status = 'sent'", later.lower()))
        assert sent[0]["attempts"] == 2 and sent[0]["last_error"] is None
        assert len(await mailbox.to(later)) == 1

        failed = await eventually(lambda: fetch(notify, "SELECT id, reference, attempts, last_error FROM messages "
                                                        "WHERE recipient = $1 AND status = 'failed'", never.lower()))
        assert failed[0]["attempts"] == 1 and "550" in failed[0]["last_error"] and "no such user" in failed[0]["last_error"]
        assert await mailbox.to(never) == []
        event = await eventually(lambda: fetch(notify, "SELECT payload FROM outbox WHERE published_at IS NOT NULL"))
        assert len(event) == 1
        payload = event[0]["payload"].decode()
        assert "notify.delivery.failed" in payload and failed[0]["reference"] in payload and "no such user" in payload


async def test_the_sender_takes_a_new_identity_when_its_database_connection_is_lost(stack, mailbox):
    """PostgreSQL restarting cuts the connection that holds the sender's advisory locks; the
    sender must not stay stuck on 'lost the lock connection' (it once did, while ready)."""
    import asyncio
    import json

    from weerbaar_platform.auth import TokenSigner

    from notify.adapters.rendering import Renderer
    from notify.entrypoints.sender import Sender
    from notify.settings import NotifySettings

    dsn = await stack.fresh_database("notifyreconnect")
    await upgrade_async(dsn, MIGRATIONS)
    settings = NotifySettings(environment="test", database_url=dsn, kafka_bootstrap="unused:1", http_port=1,
                              token_jwks=json.dumps(TokenSigner.generate().jwks()), smtp_port=stack.smtp_port,
                              sender_connections=2, send_rate_per_second=0, sender_poll_seconds=0.2)
    pool = await create_pool(dsn, max_size=4)
    sender = Sender(pool, settings, Renderer(portal_base_url=settings.portal_base_url), source="/weerbaar/notify")
    running = asyncio.create_task(sender.run())
    try:
        first = [unique_address("before")]
        async with pool.acquire() as conn:
            await _store_messages(conn, first)
        await eventually(lambda: mailbox.to(first[0]), timeout=30)
        old_numbers = list(sender.sender_nos)

        # What a restart does to that one connection: the server ends it.
        async with pool.acquire() as conn:
            ended = await conn.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' "
                "AND objid = ANY($1::oid[])", old_numbers)
        assert ended >= 1

        after = [unique_address(f"after{i}") for i in range(3)]
        async with pool.acquire() as conn:
            await _store_messages(conn, after)
        for address in after:
            assert len(await eventually(lambda a=address: mailbox.to(a), timeout=30)) == 1
        assert sender.sender_nos and not set(sender.sender_nos) & set(old_numbers)
        assert not running.done()
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await pool.close()
