"""ID tokens: honest ones, and (test-only) ones that are wrong in exactly one way.

Tamper modes let a relying party prove it refuses each kind of bad token:
  alg_none        unsigned ("alg": "none", empty signature)
  wrong_key       signed RS256 by a key that is not in the JWKS, but with the genuine kid
  expired         exp (and iat) in the past
  wrong_audience  aud is another client
  wrong_nonce     nonce differs from the one in the authorization request
  wrong_issuer    iss is not this IdP's issuer
"""

import base64
import json
import secrets

from joserfc import jwt
from joserfc.jwk import RSAKey

from .people import TestPerson

TAMPER_MODES = ("alg_none", "wrong_key", "expired", "wrong_audience", "wrong_nonce", "wrong_issuer")


def id_token_claims(*, issuer: str, client_id: str, person: TestPerson, nonce: str | None,
                    auth_time: int, now: int, lifetime: int) -> dict:
    claims = {"iss": issuer, "aud": client_id, "iat": now, "exp": now + lifetime,
              "auth_time": auth_time, "acr": person.acr, **person.claims()}
    if nonce is not None:
        claims["nonce"] = nonce
    return claims


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unsigned(claims: dict) -> str:
    # Built by hand: joserfc rightly will not produce an "alg": "none" token.
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{header}.{_b64(json.dumps(claims).encode())}."


def sign_id_token(claims: dict, key: RSAKey, *, tamper: str | None = None,
                  impostor_key: RSAKey | None = None) -> str:
    claims = dict(claims)
    if tamper == "alg_none":
        return _unsigned(claims)
    if tamper == "expired":
        claims["iat"] -= 2 * 3600
        claims["exp"] = claims["iat"] + 600
    elif tamper == "wrong_audience":
        claims["aud"] = "another-client"
    elif tamper == "wrong_nonce":
        claims["nonce"] = secrets.token_urlsafe(16)
    elif tamper == "wrong_issuer":
        claims["iss"] = claims["iss"].rstrip("/") + "-impostor"
    elif tamper == "wrong_key":
        if impostor_key is None:
            raise ValueError("wrong_key needs an impostor key")
        key = impostor_key
    elif tamper is not None:
        raise ValueError(f"unknown tamper mode {tamper!r}")
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key, algorithms=["RS256"])
