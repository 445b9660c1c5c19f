"""Sessions and login attempts in the gateway's PostgreSQL. The browser holds only a random
cookie; the table holds its HMAC, so every replica finds the session and a copy of the table
opens nothing."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta, timezone
from uuid import UUID

import asyncpg

from ..domain.session import Organisation, Session


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


class SessionStore:
    def __init__(self, pool: asyncpg.Pool, secret: str, *, idle: timedelta, max_age: timedelta):
        self.pool, self._secret, self.idle, self.max_age = pool, secret.encode(), idle, max_age

    def hash(self, cookie_value: str) -> str:
        return hmac.new(self._secret, cookie_value.encode(), hashlib.sha256).hexdigest()

    @staticmethod
    def new_cookie_value() -> str:
        return secrets.token_urlsafe(32)

    # ------------------------------------------------------------------ sessions

    async def save(self, s: Session) -> None:
        await self.pool.execute(
            """INSERT INTO sessions (id_hash, person, organisations, acting_organisation, access_token,
                                     access_expires_at, refresh_token, csrf_token, expires_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
               ON CONFLICT (id_hash) DO UPDATE SET person = $2, organisations = $3,
                   acting_organisation = $4, access_token = $5, access_expires_at = $6,
                   refresh_token = $7, last_seen_at = now()""",
            s.id_hash, _person(s), _orgs(s), s.acting_organisation, s.access_token,
            s.access_expires_at, s.refresh_token, s.csrf_token, s.expires_at)

    async def load(self, cookie_value: str | None) -> Session | None:
        """The live session for this cookie, or None (unknown, idle too long, or too old)."""
        if not cookie_value or len(cookie_value) > 100:
            return None
        id_hash = self.hash(cookie_value)
        row = await self.pool.fetchrow(
            """SELECT *, last_seen_at < now() - interval '1 minute' AS stale FROM sessions
               WHERE id_hash = $1 AND expires_at > now() AND last_seen_at > now() - $2::interval""",
            id_hash, self.idle)
        if row is None:
            return None
        if row["stale"]:
            # Idle time is counted in minutes: one write a minute, not one per request.
            await self.pool.execute("UPDATE sessions SET last_seen_at = now() WHERE id_hash = $1", id_hash)
        return _session(row)

    async def refresh_locked(self, s: Session, refresh, *, force: bool = False) -> Session:
        """Refresh the tokens once even when several requests of this session need it at once:
        the row lock makes the others wait and then find the fresh token (refresh tokens rotate,
        so a second refresh with the old one would fail)."""
        async with self.pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow("SELECT * FROM sessions WHERE id_hash = $1 FOR UPDATE", s.id_hash)
            if row is None:
                return s
            current = _session(row)
            if not force and not current.needs_refresh(now_utc()):
                return current
            fresh = await refresh(current)
            await conn.execute(
                """UPDATE sessions SET person = $2, organisations = $3, acting_organisation = $4,
                       access_token = $5, access_expires_at = $6, refresh_token = $7
                   WHERE id_hash = $1""",
                fresh.id_hash, _person(fresh), _orgs(fresh), fresh.acting_organisation,
                fresh.access_token, fresh.access_expires_at, fresh.refresh_token)
            return fresh

    async def delete(self, id_hash: str) -> None:
        await self.pool.execute("DELETE FROM sessions WHERE id_hash = $1", id_hash)

    async def purge_expired(self) -> int:
        done = await self.pool.execute(
            """DELETE FROM sessions WHERE expires_at < now() OR last_seen_at < now() - $1::interval""", self.idle)
        await self.pool.execute("DELETE FROM login_attempts WHERE created_at < now() - interval '15 minutes'")
        return int(done.split()[-1])

    # ------------------------------------------------------------------ login attempts

    async def start_login(self, *, state: str, browser_cookie: str, code_verifier: str, idp: str,
                          return_to: str) -> None:
        await self.pool.execute(
            "INSERT INTO login_attempts (state, browser_hash, code_verifier, idp, return_to) VALUES ($1,$2,$3,$4,$5)",
            state, self.hash(browser_cookie), code_verifier, idp, return_to)

    async def take_login(self, state: str, browser_cookie: str | None) -> asyncpg.Record | None:
        """The login attempt for this state *from this browser*, used once; None otherwise."""
        if not state or not browser_cookie:
            return None
        return await self.pool.fetchrow(
            """DELETE FROM login_attempts
               WHERE state = $1 AND browser_hash = $2 AND created_at > now() - interval '10 minutes'
               RETURNING *""", state, self.hash(browser_cookie))


def _person(s: Session) -> dict:
    return {"id": str(s.person_id), "name": s.name, "email": s.email, "language": s.language,
            "token_roles": list(s.token_roles)}


def _orgs(s: Session) -> list:
    return [{"id": str(o.id), "name": o.name, "roles": list(o.roles)} for o in s.organisations]


def _session(row) -> Session:
    person = row["person"]
    return Session(
        id_hash=row["id_hash"], person_id=UUID(person["id"]), name=person.get("name", ""),
        email=person.get("email", ""), language=person.get("language", "nl"),
        organisations=tuple(Organisation(UUID(o["id"]), o.get("name", ""), tuple(o.get("roles", [])))
                            for o in row["organisations"]),
        acting_organisation=row["acting_organisation"], access_token=row["access_token"],
        access_expires_at=row["access_expires_at"], refresh_token=row["refresh_token"],
        csrf_token=row["csrf_token"], expires_at=row["expires_at"],
        token_roles=tuple(person.get("token_roles", [])))
