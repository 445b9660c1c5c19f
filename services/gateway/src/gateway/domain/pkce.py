"""PKCE (RFC 7636, S256) and the login `state`: fresh randomness per login attempt."""
from __future__ import annotations

import base64
import hashlib
import secrets


def new_code_verifier() -> str:
    # 32 random bytes -> 43 characters, the shortest verifier RFC 7636 allows, of full entropy.
    return secrets.token_urlsafe(32)


def code_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def new_state() -> str:
    return secrets.token_urlsafe(24)


def safe_return_to(value: str | None) -> str:
    """Only a path on this site: never `//evil.example` or `https://...` (open redirect)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value
