"""Benchmark: one advisory fanned out by notify, end to end, beside raw SMTP sending.

Builds notify's read models directly in a fresh database (N people, N/5 organisations, each
with a group mailbox, all in the advisory's sector), runs the notify service in this process
on the real PostgreSQL and Kafka, publishes one PublicationPublishedV1, and measures
- event -> all messages stored (the fan-out INSERT ... SELECT, through Kafka and the inbox);
- event -> all delivered to the SMTP server (claim, render, MAIL/RCPT/DATA, mark sent);
then, in the same run, sends the same number of messages of the same size with bare
aiosmtplib over as many connections, and prints both times and their ratio.

The SMTP server is a private instance of the dev stack's mail catcher (its own ports and data
directory, removed afterwards), so the run leaves the shared catcher alone; pass
`--smtp-port 28025` to use the shared one instead.

Run:  .venv/bin/python bench/notify_fanout.py [--people 50000] [--connections 4]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiosmtplib
import asyncpg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "services" / "notify" / "src"))

from aiokafka import AIOKafkaProducer  # noqa: E402
from weerbaar_contracts import new_event  # noqa: E402
from weerbaar_contracts.events.content import Audience, PublicationPublishedV1  # noqa: E402
from weerbaar_platform.auth import TokenSigner  # noqa: E402
from weerbaar_platform.db import upgrade_async  # noqa: E402
from weerbaar_platform.testing import Stack, load_local_stack, running_service  # noqa: E402

from notify.adapters.rendering import Renderer  # noqa: E402
from notify.adapters.smtp import build_mime  # noqa: E402
from notify.app import create_app  # noqa: E402
from notify.settings import NotifySettings  # noqa: E402

MIGRATIONS = ROOT / "services" / "notify" / "src" / "notify" / "migrations"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def build_read_models(dsn: str, people: int, run: str) -> int:
    organisations = max(1, people // 5)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f"""
            INSERT INTO organisations (id, legal_name, sector, subsector, classification, group_mailbox, registration_version)
            SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'Organisatie ' || i, 'energy',
                   'energy.electricity', CASE WHEN i % 2 = 0 THEN 'essential' ELSE 'important' END,
                   'soc' || i || '-{run}@org.bench.example', 1
            FROM generate_series(1, {organisations}) AS i;
            INSERT INTO persons (id, name, email, language)
            SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(i), 12, '0'))::uuid, 'Persoon ' || i,
                   'p' || i || '-{run}@bench.example', CASE WHEN i % 3 = 0 THEN 'en' ELSE 'nl' END
            FROM generate_series(1, {people}) AS i;
            INSERT INTO memberships (organisation_id, person_id)
            SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(1 + (i - 1) % {organisations}), 12, '0'))::uuid,
                   ('00000000-0000-4000-9000-' || lpad(to_hex(i), 12, '0'))::uuid
            FROM generate_series(1, {people}) AS i;
            ANALYZE;""")
    finally:
        await conn.close()
    return people + organisations


async def wait_count(pool, sql: str, target: int, every: float = 0.05) -> float:
    while True:
        async with pool.acquire() as conn:
            if await conn.fetchval(sql) >= target:
                return time.perf_counter()
        await asyncio.sleep(every)


async def raw_send(port: int, count: int, connections: int, mime: bytes, run: str) -> float:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)

    async def worker() -> None:
        async with aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False) as smtp:
            while True:
                try:
                    i = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                await smtp.sendmail("noreply@weerbaar.example", [f"raw{i}-{run}@bench.example"], mime)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return time.perf_counter() - start


async def main(args) -> None:
    local = load_local_stack()
    stack = Stack(admin_dsn=local.DATABASE_ADMIN_URL, kafka_bootstrap=local.KAFKA_BOOTSTRAP)
    run = uuid.uuid4().hex[:8]
    catcher, tmp = None, None
    port = args.smtp_port
    if port is None:
        tmp = tempfile.TemporaryDirectory(prefix="notify-bench-")
        port = free_port()
        catcher = subprocess.Popen([sys.executable, "-m", "weerbaar_devstack.mailbox", "--smtp-port", str(port),
                                    "--http-port", str(free_port()), "--data-dir", tmp.name],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
    try:
        dsn = await stack.fresh_database("notifybench")
        await upgrade_async(dsn, MIGRATIONS)
        expected = await build_read_models(dsn, args.people, run)
        print(f"read models: {args.people} people in {args.people // 5} organisations (+ as many group mailboxes)"
              f" -> {expected} messages expected; SMTP 127.0.0.1:{port}, {args.connections} connections")
        namespace = f"bench{run}."
        signer = TokenSigner.generate()
        async with running_service(create_app, NotifySettings, stack, namespace, signer, label="bench",
                                   database_url=dsn, smtp_port=port, sender_connections=args.connections,
                                   sender_batch=args.batch, send_rate_per_second=0, sender_poll_seconds=0.2,
                                   digest_poll_seconds=3600, database_pool_max=args.connections + 4) as client:
            pool = client.app.state.runtime.pool
            producer = AIOKafkaProducer(bootstrap_servers=stack.kafka_bootstrap)
            await producer.start()
            payload = PublicationPublishedV1(publication_id=uuid.uuid4(), kind="advisory", tlp="GREEN",
                                             title="Kwetsbaarheid in omvormers", audience=Audience(sectors=["energy"]),
                                             tracking_id="NCSC-2026-0001")
            start = time.perf_counter()
            await producer.send_and_wait(namespace + payload.topic, new_event(payload, source="/bench").to_bytes(),
                                         key=payload.key().encode())
            await producer.stop()
            stored_at = await wait_count(pool, "SELECT count(*) FROM messages", expected)
            sent_at = await wait_count(pool, "SELECT count(*) FROM messages WHERE status = 'sent'", expected, 0.25)
            async with pool.acquire() as conn:
                problems = await conn.fetchval("SELECT count(*) FROM messages WHERE status <> 'sent'")
                sample = await conn.fetchrow("SELECT * FROM messages LIMIT 1")
        renderer = Renderer(portal_base_url="http://localhost:28080")
        rendered = renderer.render(sample["kind"], sample["language"], sample["context"], sample["reference"])
        mime = build_mime(rendered, sender="Weerbaar <noreply@weerbaar.example>", recipient="raw@bench.example",
                          message_id=f"<{uuid.uuid4()}@weerbaar.example>", reference=sample["reference"], language="nl")
        raw = await raw_send(port, expected, args.connections, mime, run)

        stored, delivered = stored_at - start, sent_at - start
        print(f"event -> {expected} messages stored:    {stored:8.2f} s ({expected / stored:8.0f} msg/s)")
        print(f"event -> {expected} messages delivered: {delivered:8.2f} s ({expected / delivered:8.0f} msg/s)")
        print(f"raw aiosmtplib, same count and size:  {raw:8.2f} s ({expected / raw:8.0f} msg/s)")
        print(f"ratio notify delivery / raw sending:  {delivered / raw:8.2f}x   (not sent: {problems})")
        conn = await asyncpg.connect(stack.admin_dsn)
        try:
            await conn.execute(f'DROP DATABASE "{dsn.rsplit("/", 1)[1]}" WITH (FORCE)')
        finally:
            await conn.close()
    finally:
        if catcher is not None:
            catcher.terminate()
            catcher.wait(timeout=10)
            tmp.cleanup()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=50_000)
    ap.add_argument("--connections", type=int, default=4)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--smtp-port", type=int, default=None)
    os.environ.setdefault("WEERBAAR_LOG_LEVEL", "WARNING")
    asyncio.run(main(ap.parse_args()))
