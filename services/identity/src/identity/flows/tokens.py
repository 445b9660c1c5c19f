"""Identity as the gateway's OpenID provider: one-time codes, access tokens, rotating refresh
tokens. Only digests of codes and refresh tokens are stored."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from uuid import UUID, uuid4

from ..adapters import store
from ..context import IdentityContext
from ..domain.login import choose_acting
from ..domain.secrets import digest, new_secret, pkce_matches


class OAuthError(Exception):
    """An RFC 6749 error answer from /token."""

    def __init__(self, error: str, description: str, status: int = 400):
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


def _wall_now() -> datetime:
    return datetime.now(timezone.utc)


async def issue_code(conn, ctx: IdentityContext, *, person_id: UUID, client_id: str, redirect_uri: str,
                     code_challenge: str, acting: UUID | None, login_kvk: str | None = None,
                     login_oin: str | None = None) -> str:
    code = new_secret()
    await conn.execute(
        "INSERT INTO authorization_codes (code_hash, person_id, client_id, redirect_uri, code_challenge, "
        "acting_organisation_id, family_id, expires_at, login_kvk, login_oin) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        digest(code), person_id, client_id, redirect_uri, code_challenge, acting, uuid4(),
        _wall_now() + timedelta(seconds=ctx.settings.code_lifetime_seconds), login_kvk, login_oin)
    return code


async def redeem_code(pool, ctx: IdentityContext, *, client_id: str, code: str, redirect_uri: str,
                      code_verifier: str | None) -> dict:
    async with pool.acquire() as conn:
        async with conn.transaction():
            row = await conn.fetchrow("SELECT * FROM authorization_codes WHERE code_hash = $1 FOR UPDATE", digest(code))
            if row is not None and row["used_at"] is not None:
                # A code presented twice was probably stolen: end what the first use started.
                await conn.execute("UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 "
                                   "AND revoked_at IS NULL", row["family_id"])
                replayed = True
            else:
                replayed = False
                if row is not None:
                    await conn.execute("UPDATE authorization_codes SET used_at = now() WHERE code_hash = $1",
                                       row["code_hash"])
        # Committed above: a code is spent once presented, even when a check below fails.
        if row is None or replayed:
            raise OAuthError("invalid_grant", "unknown or already used code")
        if row["expires_at"] <= _wall_now():
            raise OAuthError("invalid_grant", "code expired")
        if row["client_id"] != client_id:
            raise OAuthError("invalid_grant", "code was issued to another client")
        if row["redirect_uri"] != redirect_uri:
            raise OAuthError("invalid_grant", "redirect_uri differs from the authorization request")
        if not pkce_matches(row["code_challenge"], code_verifier):
            raise OAuthError("invalid_grant", "code_verifier does not match the code_challenge")
        async with conn.transaction():
            return await token_response(conn, ctx, person_id=row["person_id"], acting=row["acting_organisation_id"],
                                        family_id=row["family_id"], client_id=client_id,
                                        login_kvk=row["login_kvk"], login_oin=row["login_oin"])


async def refresh(pool, ctx: IdentityContext, *, client_id: str, refresh_token: str,
                  organisation_id: UUID | None) -> dict:
    async with pool.acquire() as conn:
        async with conn.transaction():
            row = await conn.fetchrow("SELECT * FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE",
                                      digest(refresh_token))
            reused = row is not None and row["used_at"] is not None and row["revoked_at"] is None
            if reused:  # rotation: an old token coming back means two holders; end the family
                await conn.execute("UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 "
                                   "AND revoked_at IS NULL", row["family_id"])
        if row is None or reused or row["revoked_at"] is not None or row["expires_at"] <= _wall_now():
            raise OAuthError("invalid_grant", "refresh token unknown, used, revoked or expired")
        if row["client_id"] != client_id:
            raise OAuthError("invalid_grant", "refresh token was issued to another client")
        async with conn.transaction():
            if organisation_id is not None and not await store.is_member(conn, organisation_id, row["person_id"]):
                raise OAuthError("invalid_request", "not a member of that organisation", 403)
            taken = await conn.fetchval("UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1 "
                                        "AND used_at IS NULL AND revoked_at IS NULL RETURNING true", row["token_hash"])
            if not taken:
                raise OAuthError("invalid_grant", "refresh token already used")
            return await token_response(conn, ctx, person_id=row["person_id"],
                                        acting=organisation_id or row["acting_organisation_id"],
                                        family_id=row["family_id"], client_id=client_id,
                                        login_kvk=row["login_kvk"], login_oin=row["login_oin"])


async def revoke(pool, refresh_token: str, client_id: str | None) -> None:
    """Revokes the token's whole family (the session). Unknown tokens are ignored (RFC 7009)."""
    await pool.execute("UPDATE refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL AND family_id = "
                       "(SELECT family_id FROM refresh_tokens WHERE token_hash = $1 AND ($2::text IS NULL "
                       "OR client_id = $2))", digest(refresh_token), client_id)


async def token_response(conn, ctx: IdentityContext, *, person_id: UUID, acting: UUID | None,
                         family_id: UUID, client_id: str, login_kvk: str | None = None,
                         login_oin: str | None = None) -> dict:
    """Access token for the acting organisation with the roles usable now, and a new refresh token."""
    now = ctx.clock()
    who = await store.person(conn, person_id)
    memberships = await store.memberships_of(conn, person_id)
    acting = choose_acting(memberships, None, preferred=acting)
    organisations = [{"id": str(m.id), "name": m.legal_name,
                      "roles": sorted(await store.usable_roles(conn, m.id, person_id, now))} for m in memberships]
    roles = next((o["roles"] for o in organisations if o["id"] == str(acting)), [])
    lifetime = ctx.settings.access_token_lifetime_seconds
    access_token = ctx.keyring.signer.sign(person_id=person_id, organisation_id=acting, roles=roles,
                                           lifetime=lifetime, name=who["name"], email=who["email"],
                                           jti=new_secret(16), now=time.time(), kvk=login_kvk, oin=login_oin)
    refresh_token = new_secret()
    await conn.execute(
        "INSERT INTO refresh_tokens (token_hash, family_id, person_id, client_id, acting_organisation_id, "
        "expires_at, login_kvk, login_oin) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        digest(refresh_token), family_id, person_id, client_id, acting,
        _wall_now() + timedelta(seconds=ctx.settings.refresh_token_lifetime_seconds), login_kvk, login_oin)
    return {"access_token": access_token, "token_type": "Bearer", "expires_in": lifetime,
            "refresh_token": refresh_token,
            "person": {"id": str(person_id), "name": who["name"], "email": who["email"], "language": who["language"]},
            "organisations": organisations, "acting_organisation_id": str(acting) if acting else None}
