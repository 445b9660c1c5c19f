"""RS256 signing keys, one per stand-in IdP, kept in a file when one is given so restarts keep them."""

import json
import os
from pathlib import Path

from joserfc.jwk import RSAKey


def _new_key() -> RSAKey:
    return RSAKey.generate_key(2048, {"use": "sig", "alg": "RS256"}, auto_kid=True)


def load_or_create_keys(path: Path | None, idp_names: tuple[str, ...]) -> dict[str, RSAKey]:
    """Keys by IdP name. Relying parties cache a JWKS, so a restart must not change the keys."""
    stored: dict = json.loads(path.read_text(encoding="utf-8")) if path and path.exists() else {}
    keys = {name: RSAKey.import_key(stored[name]) if name in stored else _new_key() for name in idp_names}
    if path is not None and set(stored) != set(keys):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        # Private keys: readable by the owner only; replace atomically so a crash leaves no half file.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({name: key.as_dict(private=True) for name, key in keys.items()}, out)
        os.replace(temporary, path)
    return keys


def impostor_key_like(genuine: RSAKey) -> RSAKey:
    """A fresh key carrying the genuine key's kid, so only a real signature check can tell them apart."""
    return RSAKey.generate_key(2048, {"use": "sig", "alg": "RS256", "kid": genuine.kid})
