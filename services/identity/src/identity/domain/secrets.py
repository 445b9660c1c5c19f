"""Random values and their digests. Only digests of codes and tokens are stored, so a copy of
the database hands out no usable credential."""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

#: 32 random bytes = 256 bits: well above the 128 bits OIDC NL GOV asks for state and nonce.
RANDOM_BYTES = 32
_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")  # RFC 7636 section 4.1


def new_secret(nbytes: int = RANDOM_BYTES) -> str:
    return secrets.token_urlsafe(nbytes)


def new_code_verifier() -> str:
    return secrets.token_urlsafe(64)[:96]


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


def pkce_matches(challenge: str, verifier: str | None) -> bool:
    if not verifier or not _VERIFIER.match(verifier):
        return False
    return hmac.compare_digest(s256(verifier), challenge)


def same_secret(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())
