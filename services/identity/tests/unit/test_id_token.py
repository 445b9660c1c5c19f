"""ID token checks of the relying party, on tokens made here (the stack tests do the same
against the stand-in IdP)."""
import base64
import json
import time

import pytest
from identity.adapters.upstream import IdTokenRejected, verify_id_token
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

ISSUER, CLIENT, NONCE = "https://idp.example/eherkenning", "weerbaar-identity", "n" * 43
KEY = RSAKey.generate_key(2048, {"alg": "RS256"}, auto_kid=True)
KEYS = KeySet([KEY])


def token(key=KEY, **changes):
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": CLIENT, "sub": "p", "iat": now, "exp": now + 300, "nonce": NONCE, **changes}
    return jwt.encode({"alg": "RS256", "kid": KEY.kid}, {k: v for k, v in claims.items() if v is not None}, key)


def verify(tok):
    return verify_id_token(tok, KEYS, issuer=ISSUER, client_id=CLIENT, nonce=NONCE)


def test_a_good_token_passes():
    assert verify(token())["sub"] == "p"


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize("bad", [
    "alg_none", "wrong_key", "expired", "other_audience", "other_nonce", "no_nonce", "other_issuer", "garbage"])
def test_bad_tokens_are_rejected(bad):
    now = int(time.time())
    tok = {
        "alg_none": lambda: f"{_b64({'alg': 'none'})}.{_b64({'iss': ISSUER, 'aud': CLIENT, 'sub': 'p', 'iat': now, 'exp': now + 300, 'nonce': NONCE})}.",
        "wrong_key": lambda: token(key=RSAKey.generate_key(2048, {"alg": "RS256", "kid": KEY.kid})),
        "expired": lambda: token(iat=now - 7200, exp=now - 6600),
        "other_audience": lambda: token(aud="another-client"),
        "other_nonce": lambda: token(nonce="x" * 43),
        "no_nonce": lambda: token(nonce=None),
        "other_issuer": lambda: token(iss=ISSUER + "-impostor"),
        "garbage": lambda: "not.a.token",
    }[bad]()
    with pytest.raises(IdTokenRejected):
        verify(tok)


def test_the_backchannel_changes_only_where_identity_calls_the_idp():
    from identity.adapters.upstream import UpstreamIdp

    idp = UpstreamIdp("eherkenning", issuer="http://localhost:28090/eherkenning", client_id=CLIENT,
                      client_secret="s" * 16, redirect_uri="http://localhost:28081/cb",
                      backchannel="http://idp:28090/eherkenning")
    assert idp.server_url("http://localhost:28090/eherkenning/token") == "http://idp:28090/eherkenning/token"
    assert idp.server_url("http://localhost:28090/eherkenning") == "http://idp:28090/eherkenning"
    # Another IdP's address, or one that merely starts with the same characters, is left alone.
    assert idp.server_url("http://localhost:28090/eherkenning-x/jwks") == "http://localhost:28090/eherkenning-x/jwks"
    assert idp.server_url("https://elsewhere.example/jwks") == "https://elsewhere.example/jwks"
    # The issuer the ID token is checked against stays the public one.
    assert idp.issuer == "http://localhost:28090/eherkenning"
    plain = UpstreamIdp("ssonrijk", issuer="http://localhost:28090/ssonrijk", client_id=CLIENT,
                        client_secret="s" * 16, redirect_uri="http://localhost:28081/cb")
    assert plain.server_url("http://localhost:28090/ssonrijk/token") == "http://localhost:28090/ssonrijk/token"
