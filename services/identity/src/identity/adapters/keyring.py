"""Identity's access-token signing keys, kept in its database so every replica signs with the
same keys and a restart changes nothing.

The newest key signs; the previous one stays published until the next rotation, so tokens it
signed (at most 5 minutes old) still verify while services learn the new key through their
refetch-on-unknown-kid. Rotation: scheduled (every `signing_key_rotation_days`) or by a CSIRT
admin (`POST /admin/signing-keys/rotate`).
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import asyncpg
from joserfc.jwk import ECKey, KeySet
from weerbaar_platform.auth import ALGORITHM, TokenSigner, TokenVerifier

KEY_LOCK = 727_101  # advisory lock: one replica creates or rotates keys at a time
KEEP = 2            # current + previous


def _new_key() -> ECKey:
    return ECKey.generate_key("P-256", parameters={"use": "sig", "alg": ALGORITHM}, auto_kid=True)


class KeyRing:
    def __init__(self):
        self.pool: asyncpg.Pool | None = None
        self.signer: TokenSigner | None = None
        self.newest_created_at: datetime | None = None
        self._loaded_at = 0.0

    async def start(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", KEY_LOCK)
            if not await conn.fetchval("SELECT count(*) FROM signing_keys WHERE retired_at IS NULL"):
                await self._insert(conn)
        await self.load()

    async def load(self) -> None:
        rows = await self.pool.fetch("SELECT private_jwk, created_at FROM signing_keys "
                                     "WHERE retired_at IS NULL ORDER BY created_at DESC, kid")
        self.signer = TokenSigner([ECKey.import_key(r["private_jwk"]) for r in rows])
        self.newest_created_at = rows[0]["created_at"]
        self._loaded_at = time.monotonic()

    async def load_if_stale(self, seconds: float = 10) -> None:
        if time.monotonic() - self._loaded_at > seconds:
            await self.load()

    @staticmethod
    async def _insert(conn: asyncpg.Connection) -> str:
        key = _new_key()
        await conn.execute("INSERT INTO signing_keys (kid, private_jwk, created_at) VALUES ($1, $2, clock_timestamp())",
                           key.kid, key.as_dict(private=True))
        return key.kid

    async def rotate(self, *, older_than: timedelta | None = None) -> str | None:
        """Add a new signing key and retire all but the newest two. With `older_than`, only when
        the newest key is at least that old (the scheduled rotation; safe with replicas)."""
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", KEY_LOCK)
            if older_than is not None:
                newest = await conn.fetchval("SELECT max(created_at) FROM signing_keys WHERE retired_at IS NULL")
                if newest and newest > datetime.now(timezone.utc) - older_than:
                    return None
            kid = await self._insert(conn)
            await conn.execute(
                "UPDATE signing_keys SET retired_at = now() WHERE retired_at IS NULL AND kid NOT IN "
                "(SELECT kid FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC, kid LIMIT $1)",
                KEEP)
        await self.load()
        return kid

    def jwks(self) -> dict:
        return self.signer.jwks() if self.signer else {"keys": []}


class KeyRingVerifier(TokenVerifier):
    """Identity checks tokens on its own routes against its own key ring, not over HTTP."""

    def __init__(self, ring: KeyRing):
        super().__init__(jwks_url="internal:identity-key-ring")  # never fetched: _keyset reads the ring
        self.ring = ring

    async def _keyset(self, *, refresh: bool = False) -> KeySet:
        if refresh:  # another replica may have rotated
            await self.ring.load_if_stale()
        return KeySet.import_key_set(self.ring.jwks())
