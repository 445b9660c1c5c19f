"""Identity as an OpenID Connect relying party of SSOnRijk and eHerkenning.

authlib's httpx client builds the authorization request (PKCE S256) and redeems the code;
joserfc verifies the ID token against the IdP's JWKS: signature (RS256/ES256/PS256 only, so
`alg: none` never passes), issuer, audience, expiry, issued-at and the nonce we sent.
"""
from __future__ import annotations

import asyncio
import time

import httpx
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

ALLOWED_ALGORITHMS = ["RS256", "PS256", "ES256"]
SCOPE = "openid profile email"
LEEWAY_SECONDS = 60
METADATA_TTL = 3600


class IdTokenRejected(Exception):
    """The upstream's answer was not a login we can trust; `reason` names the failed check."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def verify_id_token(id_token: str, keys: KeySet, *, issuer: str, client_id: str, nonce: str,
                    now: int | None = None) -> dict:
    try:
        decoded = jwt.decode(id_token, keys, algorithms=ALLOWED_ALGORITHMS)
    except JoseError as exc:
        raise IdTokenRejected(f"signature: {type(exc).__name__}") from None
    except ValueError as exc:
        raise IdTokenRejected(f"malformed: {exc}") from None
    claims = decoded.claims
    try:
        jwt.JWTClaimsRegistry(
            now=now, leeway=LEEWAY_SECONDS,
            iss={"essential": True, "value": issuer}, aud={"essential": True, "value": client_id},
            exp={"essential": True}, iat={"essential": True}, sub={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(claims)
    except JoseError as exc:
        raise IdTokenRejected(f"claims: {type(exc).__name__}: {exc}") from None
    aud = claims["aud"]
    # OIDC core 3.1.3.7: with several audiences, azp must name us.
    if isinstance(aud, list) and len(aud) > 1 and claims.get("azp") != client_id:
        raise IdTokenRejected("claims: azp")
    return claims


class UpstreamIdp:
    """One upstream IdP: its discovery document and keys (cached), and the code flow."""

    def __init__(self, name: str, *, issuer: str, client_id: str, client_secret: str, redirect_uri: str,
                 backchannel: str | None = None):
        self.name, self.issuer, self.client_id, self.redirect_uri = name, issuer.rstrip("/"), client_id, redirect_uri
        #: Where this service itself reaches the IdP when that differs from the public issuer
        #: (containers on one network): only server-to-server calls go there; the browser,
        #: the issuer check and the ID token's `iss` keep the public issuer.
        self.backchannel = backchannel.rstrip("/") if backchannel else None
        self.oauth = AsyncOAuth2Client(client_id=client_id, client_secret=client_secret, scope=SCOPE,
                                       redirect_uri=redirect_uri, code_challenge_method="S256",
                                       token_endpoint_auth_method="client_secret_post", timeout=10)
        self._metadata: dict | None = None
        self._metadata_at = 0.0
        self._keys: KeySet | None = None
        self._keys_at = 0.0
        self._lock = asyncio.Lock()

    async def close(self) -> None:
        await self.oauth.aclose()

    def server_url(self, url: str) -> str:
        """The URL this service calls for one of the IdP's endpoints."""
        if self.backchannel and (url == self.issuer or url.startswith(self.issuer + "/")):
            return self.backchannel + url[len(self.issuer):]
        return url

    async def metadata(self) -> dict:
        if self._metadata is None or time.monotonic() - self._metadata_at > METADATA_TTL:
            async with httpx.AsyncClient(timeout=10) as http:
                resp = await http.get(self.server_url(f"{self.issuer}/.well-known/openid-configuration"))
                resp.raise_for_status()
            doc = resp.json()
            if doc.get("issuer", "").rstrip("/") != self.issuer:  # OIDC discovery 4.3
                raise IdTokenRejected("discovery: issuer differs from the configured issuer")
            self._metadata, self._metadata_at = doc, time.monotonic()
        return self._metadata

    async def keys(self, *, refresh: bool = False) -> KeySet:
        async with self._lock:
            stale = refresh and time.monotonic() - self._keys_at > 30
            if self._keys is None or stale:
                async with httpx.AsyncClient(timeout=10) as http:
                    resp = await http.get(self.server_url((await self.metadata())["jwks_uri"]))
                    resp.raise_for_status()
                self._keys, self._keys_at = KeySet.import_key_set(resp.json()), time.monotonic()
        return self._keys

    async def authorization_url(self, *, state: str, nonce: str, code_verifier: str,
                                login_hint: str | None = None) -> str:
        extra = {"login_hint": login_hint} if login_hint else {}
        url, _ = self.oauth.create_authorization_url(
            (await self.metadata())["authorization_endpoint"], state=state, code_verifier=code_verifier,
            nonce=nonce, **extra)
        return url

    async def redeem(self, *, code: str, code_verifier: str, nonce: str) -> dict:
        """Exchange the code and return the ID token's verified claims."""
        try:
            token = await self.oauth.fetch_token(self.server_url((await self.metadata())["token_endpoint"]), code=code,
                                                 code_verifier=code_verifier, grant_type="authorization_code",
                                                 redirect_uri=self.redirect_uri)
        except Exception as exc:  # authlib raises OAuthError, httpx network errors
            raise IdTokenRejected(f"token endpoint: {type(exc).__name__}: {exc}") from None
        id_token = token.get("id_token")
        if not id_token:
            raise IdTokenRejected("no id_token")
        keys = await self.keys()
        try:
            kid = jws.extract_compact(id_token.encode()).headers().get("kid")
        except (JoseError, ValueError, UnicodeError):
            kid = None
        if kid and not any(k.kid == kid for k in keys.keys):
            keys = await self.keys(refresh=True)
        return verify_id_token(id_token, keys, issuer=self.issuer, client_id=self.client_id, nonce=nonce)
