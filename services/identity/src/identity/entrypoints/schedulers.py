"""Background work, safe with any number of replicas: role activation (FOR UPDATE SKIP LOCKED),
scheduled key rotation (advisory lock), and clearing expired login state."""
from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from weerbaar_contracts.events.identity import RoleActivatedV1
from weerbaar_platform import outbox

from ..adapters import ratelimit, store
from ..context import IdentityContext
from ..flows.people import SOURCE

log = logging.getLogger(__name__)


async def activate_due_roles(pool, ctx: IdentityContext) -> int:
    """Announce each role that became usable, exactly once: the grant is marked in the same
    transaction as its event is written to the outbox."""
    async with pool.acquire() as conn, conn.transaction():
        due = await store.take_due_grants(conn, ctx.clock())
        for row in due:
            await outbox.enqueue(conn, RoleActivatedV1(
                organisation_id=row["organisation_id"], person_id=row["person_id"], role=row["role"],
                name=row["name"], email=row["email"], language=row["language"],
                organisation_name=row["legal_name"]), source=SOURCE)
    return len(due)


def role_activation(ctx: IdentityContext):
    async def role_activation_scheduler(runtime) -> None:
        while True:
            try:
                while await activate_due_roles(runtime.pool, ctx):
                    pass
            except Exception:  # the loop must outlive a database hiccup
                log.exception("role activation failed; retrying")
            await asyncio.sleep(ctx.settings.role_activation_poll_seconds)
    return role_activation_scheduler


def housekeeping(ctx: IdentityContext):
    async def identity_housekeeping(runtime) -> None:
        while True:
            try:
                await ctx.keyring.rotate(older_than=timedelta(days=ctx.settings.signing_key_rotation_days))
                await ctx.keyring.load()
                pool = runtime.pool
                await pool.execute("DELETE FROM login_requests WHERE expires_at < now() - interval '1 hour'")
                await pool.execute("DELETE FROM authorization_codes WHERE expires_at < now() - interval '1 day'")
                await pool.execute("DELETE FROM refresh_tokens WHERE expires_at < now() - interval '7 days'")
                await ratelimit.forget_old(pool, ctx.settings.login_limit_window_seconds)
            except Exception:
                log.exception("housekeeping failed; retrying")
            await asyncio.sleep(60)
    return identity_housekeeping
