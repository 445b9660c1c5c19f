"""Access tokens: every service checks the token itself, locally, and fails closed.

Identity signs short-lived JWTs (ES256) naming the person (`sub`), the organisation they act
for (`org`, absent before they belong to one) and their *usable* roles (`roles`). Services
verify them against identity's JWKS, fetched and cached; an unknown `kid` triggers one refetch
(at most every 30 s), so a key rotation needs no restart. Any doubt means 401.
"""
from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from uuid import UUID

import httpx
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet

from .errors import DomainError

ALGORITHM = "ES256"
ISSUER = "weerbaar-identity"
AUDIENCE = "weerbaar"

#: Roles of an organisation, and the CSIRT's own staff roles.
GEBRUIKER = "gebruiker"
BEHEERDER_PERSONEN = "beheerder_personen"   # beheerder persoon- en organisatiegegevens
BEHEERDER_NETWERK = "beheerder_netwerk"     # beheerder netwerkgegevens
ANALIST, REDACTEUR, CSIRT_BEHEERDER = "analist", "redacteur", "csirt_beheerder"
ORGANISATION_ROLES = (GEBRUIKER, BEHEERDER_PERSONEN, BEHEERDER_NETWERK)
STAFF_ROLES = (ANALIST, REDACTEUR, CSIRT_BEHEERDER)


class Unauthorized(DomainError):
    def __init__(self, reason: str):
        super().__init__("Authorization", "unauthorized",
                         "U bent niet ingelogd of uw sessie is verlopen. Log opnieuw in.",
                         f"Not logged in or the session expired ({reason}). Log in again.", 401)


class Forbidden(DomainError):
    def __init__(self, needed: str):
        super().__init__("role", "forbidden", f"Hiervoor heeft u de rol '{needed}' nodig.",
                         f"This needs the role '{needed}'.", 403)


@dataclass(frozen=True)
class Principal:
    person_id: UUID
    organisation_id: UUID | None
    roles: frozenset[str]
    name: str = ""
    email: str = ""
    token_id: str = ""
    #: The organisation this session's login attests: eHerkenning's KvK number, SSOnRijk's OIN.
    login_kvk: str | None = None
    login_oin: str | None = None

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & set(STAFF_ROLES))

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    def require(self, *roles: str) -> None:
        if not self.has(*roles):
            raise Forbidden(" / ".join(roles))

    def require_organisation(self) -> UUID:
        if self.organisation_id is None:
            raise DomainError("organisation", "no_organisation",
                              "Kies eerst voor welke organisatie u werkt, of registreer uw organisatie.",
                              "Choose the organisation you act for first, or register it.", 403)
        return self.organisation_id


class TokenVerifier:
    def __init__(self, *, jwks_url: str | None = None, jwks: dict | None = None,
                 issuer: str = ISSUER, audience: str = AUDIENCE, leeway: int = 30):
        if not jwks_url and not jwks:
            raise ValueError("a token verifier needs a JWKS or the URL to fetch it from")
        self.jwks_url, self.issuer, self.audience, self.leeway = jwks_url, issuer, audience, leeway
        self._keys = KeySet.import_key_set(jwks) if jwks else None
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    async def _keyset(self, *, refresh: bool = False) -> KeySet:
        if self.jwks_url and (self._keys is None or (refresh and time.monotonic() - self._fetched_at > 30)):
            async with self._lock:
                async with httpx.AsyncClient(timeout=5) as client:
                    resp = await client.get(self.jwks_url)
                    resp.raise_for_status()
                self._keys = KeySet.import_key_set(resp.json())
                self._fetched_at = time.monotonic()
        if self._keys is None:
            raise Unauthorized("no keys")
        return self._keys

    async def verify(self, token: str) -> Principal:
        try:
            keys = await self._keyset()
            kid = jws.extract_compact(token.encode()).headers().get("kid")
            if kid and not any(k.kid == kid for k in keys.keys):
                keys = await self._keyset(refresh=True)
            decoded = jwt.decode(token, keys, algorithms=[ALGORITHM])
            jwt.JWTClaimsRegistry(
                leeway=self.leeway, iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.audience}, exp={"essential": True},
                sub={"essential": True},
            ).validate(decoded.claims)
            c = decoded.claims
            org = c.get("org")
            return Principal(person_id=UUID(c["sub"]), organisation_id=UUID(org) if org else None,
                             roles=frozenset(c.get("roles", [])), name=c.get("name", ""),
                             email=c.get("email", ""), token_id=c.get("jti", ""),
                             login_kvk=c.get("kvk"), login_oin=c.get("oin"))
        except Unauthorized:
            raise
        except (JoseError, ValueError, KeyError, TypeError, httpx.HTTPError) as exc:
            raise Unauthorized(type(exc).__name__) from None


_bearer = HTTPBearer(auto_error=False)


async def current_principal(request: Request,
                            credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> Principal:
    """FastAPI dependency: the verified caller, or 401."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("no bearer token")
    verifier: TokenVerifier = request.app.state.runtime.extras["token_verifier"]
    return await verifier.verify(credentials.credentials)


# ------------------------------------------------------------------ signing (identity, tests)


class TokenSigner:
    """Signs access tokens. Identity holds the current key and the previous ones (rotation)."""

    def __init__(self, keys: list[ECKey], issuer: str = ISSUER, audience: str = AUDIENCE):
        self.keys, self.issuer, self.audience = keys, issuer, audience

    @classmethod
    def generate(cls, **kw) -> "TokenSigner":
        return cls([ECKey.generate_key("P-256", parameters={"use": "sig", "alg": ALGORITHM}, auto_kid=True)], **kw)

    def jwks(self) -> dict:
        return {"keys": [k.as_dict(private=False) for k in self.keys]}

    def sign(self, *, person_id: UUID, organisation_id: UUID | None, roles: list[str] | tuple[str, ...],
             lifetime: int = 300, name: str = "", email: str = "", jti: str = "", now: float | None = None,
             kvk: str | None = None, oin: str | None = None) -> str:
        now = int(now if now is not None else time.time())
        key = self.keys[0]
        claims = {"iss": self.issuer, "aud": self.audience, "sub": str(person_id), "iat": now,
                  "nbf": now, "exp": now + lifetime, "roles": sorted(roles), "name": name, "email": email}
        if organisation_id:
            claims["org"] = str(organisation_id)
        if jti:
            claims["jti"] = jti
        if kvk:
            claims["kvk"] = kvk
        if oin:
            claims["oin"] = oin
        return jwt.encode({"alg": ALGORITHM, "kid": key.kid, "typ": "at+jwt"}, claims, key)


def verifier_from_settings(settings) -> TokenVerifier:
    if getattr(settings, "token_jwks", None):
        return TokenVerifier(jwks=json.loads(settings.token_jwks))
    return TokenVerifier(jwks_url=settings.token_jwks_url)
