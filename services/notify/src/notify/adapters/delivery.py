"""The sender's queries on `messages`: claim due messages, record each attempt's end, and
recover the messages of senders that died.

A sender holds a session advisory lock (SENDER_LOCK_CLASS, its sender_no) for as long as it
runs; PostgreSQL drops it when the sender's connection goes, however the process died. So
"claimed by a sender whose lock is free" means "claimed by a dead sender", without leases or
clocks, and a slow live sender is never mistaken for a dead one."""
from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import asyncpg
from weerbaar_contracts.events.notify import DeliveryFailedV1
from weerbaar_platform import outbox

SENDER_LOCK_CLASS = 72701
#: pg_notify channel: new messages were stored, wake the senders
WAKE_CHANNEL = "notify_messages"

CLAIM = """
WITH due AS (
    SELECT id FROM messages WHERE status = 'queued' AND next_attempt_at <= now()
    ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
UPDATE messages m SET status = 'sending', sender_no = $2, attempts = m.attempts + 1, data_started_at = NULL
FROM due WHERE m.id = due.id
RETURNING m.id, m.reference, m.recipient, m.kind, m.language, m.context, m.attempts"""

_DEAD_SENDER = f"""status = 'sending' AND NOT EXISTS (
    SELECT 1 FROM pg_locks l
    WHERE l.locktype = 'advisory' AND l.granted AND l.classid = {SENDER_LOCK_CLASS}::oid
      AND l.objid = messages.sender_no::oid AND l.objsubid = 2
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))"""


async def claim(pool: asyncpg.Pool, batch: int, sender_no: int) -> list[asyncpg.Record]:
    async with pool.acquire() as conn:
        return await conn.fetch(CLAIM, batch, sender_no)


async def data_starting(pool: asyncpg.Pool, message_id: UUID, sender_no: int) -> None:
    """Durable before DATA: from here on the relay may accept the message."""
    async with pool.acquire() as conn:
        done = await conn.fetchval("UPDATE messages SET data_started_at = now() WHERE id = $1 AND status = 'sending' "
                                   "AND sender_no = $2 RETURNING true", message_id, sender_no)
    if not done:
        raise RuntimeError(f"message {message_id} is no longer ours to send")


async def release_unstarted(pool: asyncpg.Pool, sender_no: int) -> None:
    async with pool.acquire() as conn:
        await conn.execute("UPDATE messages SET status = 'queued' WHERE status = 'sending' AND sender_no = $1 "
                           "AND data_started_at IS NULL", sender_no)


async def mark_sent(pool: asyncpg.Pool, message_id: UUID) -> None:
    async with pool.acquire() as conn:
        await conn.execute("UPDATE messages SET status = 'sent', sent_at = now(), last_error = NULL "
                           "WHERE id = $1", message_id)


async def retry_later(pool: asyncpg.Pool, message_id: UUID, delay_seconds: float, reason: str) -> None:
    async with pool.acquire() as conn:
        await conn.execute("UPDATE messages SET status = 'queued', next_attempt_at = now() + $2, last_error = $3, "
                           "data_started_at = NULL WHERE id = $1", message_id, timedelta(seconds=delay_seconds), reason)


async def mark_unconfirmed(pool: asyncpg.Pool, message_id: UUID, reason: str) -> None:
    async with pool.acquire() as conn:
        await conn.execute("UPDATE messages SET status = 'unconfirmed', last_error = $2 WHERE id = $1",
                           message_id, reason)


async def mark_failed(pool: asyncpg.Pool, message: asyncpg.Record, reason: str, *, source: str) -> None:
    """A permanent failure: recorded with the reason, and announced, in one transaction."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("UPDATE messages SET status = 'failed', last_error = $2 WHERE id = $1",
                           message["id"], reason)
        await outbox.enqueue(conn, DeliveryFailedV1(message_id=message["id"], reference=message["reference"],
                                                    recipient=message["recipient"], reason=reason), source=source)


async def recover_from_dead_senders(pool: asyncpg.Pool, *, resend_uncertain: bool) -> dict[str, int]:
    """Messages a dead sender had claimed: back in the queue if it had not begun DATA (the
    relay cannot have them); otherwise by the uncertain-policy (see settings.uncertain_policy)."""
    async with pool.acquire() as conn:
        rows = await conn.fetch(f"""
            UPDATE messages SET
                status = CASE WHEN data_started_at IS NULL OR $1 THEN 'queued' ELSE 'unconfirmed' END,
                last_error = CASE WHEN data_started_at IS NULL THEN last_error
                             ELSE 'sender stopped during DATA; the relay may have accepted it' END,
                data_started_at = NULL
            WHERE {_DEAD_SENDER}
            RETURNING status""", resend_uncertain)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return counts
