"""Rules of the authorization code flow with PKCE, kept free of HTTP so each is easy to read and test."""

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from urllib.parse import unquote_plus

from .people import TestPerson
from .settings import ClientRegistration
from .tokens import TAMPER_MODES

_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")  # RFC 7636 section 4.1


class OidcError(Exception):
    """An OAuth error response: `error` is the RFC 6749 code, `description` says what to fix."""

    def __init__(self, error: str, description: str, status: int = 400):
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


@dataclass(frozen=True)
class AuthorizationRequest:
    client_id: str
    redirect_uri: str
    scope: str
    state: str | None
    nonce: str | None
    code_challenge: str
    tamper: str | None = None


@dataclass(frozen=True)
class Grant:
    """What an authorization code stands for until it is redeemed."""

    request: AuthorizationRequest
    person: TestPerson
    auth_time: int
    expires_at: float


def find_client(clients: list[ClientRegistration], client_id: str | None,
                redirect_uri: str | None) -> ClientRegistration:
    """Unknown clients and unregistered redirect URIs are never redirected to (open redirector)."""
    client = next((c for c in clients if c.client_id == client_id), None)
    if client is None:
        raise OidcError("invalid_client", f"unknown client_id {client_id!r}")
    if redirect_uri not in client.redirect_uris:
        raise OidcError("invalid_request", f"redirect_uri {redirect_uri!r} is not registered for this client")
    return client


def read_authorization_request(params: dict[str, str], *, allow_tampering: bool) -> AuthorizationRequest:
    """Checks the parameters whose errors may be reported back to the (already trusted) redirect_uri."""
    if params.get("response_type") != "code":
        raise OidcError("unsupported_response_type", "only response_type=code is supported")
    scope = params.get("scope", "")
    if "openid" not in scope.split():
        raise OidcError("invalid_scope", "scope must include openid")
    if not params.get("code_challenge"):
        raise OidcError("invalid_request", "PKCE is required: send code_challenge with method S256")
    if params.get("code_challenge_method") != "S256":
        raise OidcError("invalid_request", "only code_challenge_method=S256 is accepted")
    tamper = params.get("tamper") or None
    if tamper is not None and not allow_tampering:
        raise OidcError("invalid_request", "tampering is switched off on this IdP")
    if tamper is not None and tamper not in TAMPER_MODES:
        raise OidcError("invalid_request", f"tamper must be one of {', '.join(TAMPER_MODES)}")
    return AuthorizationRequest(client_id=params["client_id"], redirect_uri=params["redirect_uri"],
                                scope=scope, state=params.get("state"), nonce=params.get("nonce"),
                                code_challenge=params["code_challenge"], tamper=tamper)


def s256_challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


def verifier_matches(challenge: str, verifier: str | None) -> bool:
    if not verifier or not _VERIFIER.match(verifier):
        return False
    return hmac.compare_digest(s256_challenge(verifier), challenge)


def authenticate_client(clients: list[ClientRegistration], authorization: str | None,
                        form: dict[str, str]) -> ClientRegistration:
    """client_secret_basic or client_secret_post; using both at once is refused (RFC 6749 2.3)."""
    basic = authorization is not None and authorization.lower().startswith("basic ")
    if basic and "client_secret" in form:
        raise OidcError("invalid_request", "use one client authentication method, not two")
    if basic:
        try:
            decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
            client_id, secret = (unquote_plus(part) for part in decoded.split(":", 1))
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise OidcError("invalid_client", "malformed Basic authorization header", 401) from None
    else:
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
    client = next((c for c in clients if c.client_id == client_id), None)
    if client is None or not hmac.compare_digest(client.client_secret.encode(), secret.encode()):
        raise OidcError("invalid_client", "client authentication failed", 401)
    return client


class CodeStore:
    """Authorization codes: random, short-lived, and redeemable once only."""

    def __init__(self, lifetime_seconds: int):
        self._lifetime = lifetime_seconds
        self._grants: dict[str, Grant] = {}

    def issue(self, request: AuthorizationRequest, person: TestPerson, now: float) -> str:
        self._grants = {c: g for c, g in self._grants.items() if g.expires_at > now}
        code = secrets.token_urlsafe(32)
        self._grants[code] = Grant(request, person, int(now), now + self._lifetime)
        return code

    def redeem(self, code: str, now: float) -> Grant:
        # Popped before any other check: a code presented once is spent, even if the request fails.
        grant = self._grants.pop(code, None)
        if grant is None:
            raise OidcError("invalid_grant", "unknown or already used authorization code")
        if grant.expires_at <= now:
            raise OidcError("invalid_grant", "authorization code has expired")
        return grant


def check_grant(grant: Grant, client: ClientRegistration, form: dict[str, str]) -> None:
    if grant.request.client_id != client.client_id:
        raise OidcError("invalid_grant", "code was issued to another client")
    if form.get("redirect_uri") != grant.request.redirect_uri:
        raise OidcError("invalid_grant", "redirect_uri differs from the authorization request")
    if not verifier_matches(grant.request.code_challenge, form.get("code_verifier")):
        raise OidcError("invalid_grant", "code_verifier does not match the code_challenge")
