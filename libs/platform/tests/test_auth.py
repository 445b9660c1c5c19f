"""Every service checks tokens locally and fails closed."""
import time
from uuid import uuid4

import pytest
from joserfc import jwt
from joserfc.jwk import ECKey

from weerbaar_platform.auth import ALGORITHM, TokenSigner, TokenVerifier, Unauthorized


@pytest.fixture
def signer():
    return TokenSigner.generate()


async def test_a_valid_token_names_person_organisation_and_roles(signer):
    person, org = uuid4(), uuid4()
    token = signer.sign(person_id=person, organisation_id=org, roles=["gebruiker", "beheerder_netwerk"])
    p = await TokenVerifier(jwks=signer.jwks()).verify(token)
    assert (p.person_id, p.organisation_id) == (person, org)
    assert p.roles == {"gebruiker", "beheerder_netwerk"} and not p.is_staff


async def test_expired_tokens_are_refused(signer):
    token = signer.sign(person_id=uuid4(), organisation_id=None, roles=[], lifetime=60, now=time.time() - 600)
    with pytest.raises(Unauthorized):
        await TokenVerifier(jwks=signer.jwks()).verify(token)


async def test_a_token_signed_by_another_key_is_refused(signer):
    other = TokenSigner.generate()
    token = other.sign(person_id=uuid4(), organisation_id=None, roles=["analist"])
    with pytest.raises(Unauthorized):
        await TokenVerifier(jwks=signer.jwks()).verify(token)


async def test_another_audience_or_issuer_is_refused(signer):
    for bad in (TokenSigner(signer.keys, audience="elsewhere"), TokenSigner(signer.keys, issuer="someone")):
        token = bad.sign(person_id=uuid4(), organisation_id=None, roles=[])
        with pytest.raises(Unauthorized):
            await TokenVerifier(jwks=signer.jwks()).verify(token)


@pytest.mark.parametrize("token", ["", "abc", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."])
async def test_garbage_and_unsigned_tokens_are_refused(signer, token):
    with pytest.raises(Unauthorized):
        await TokenVerifier(jwks=signer.jwks()).verify(token)


async def test_rotation_keeps_tokens_of_the_previous_key_valid(signer):
    old_token = signer.sign(person_id=uuid4(), organisation_id=None, roles=[])
    rotated = TokenSigner([ECKey.generate_key("P-256", parameters={"alg": ALGORITHM}, auto_kid=True), *signer.keys])
    verifier = TokenVerifier(jwks=rotated.jwks())
    await verifier.verify(old_token)
    await verifier.verify(rotated.sign(person_id=uuid4(), organisation_id=None, roles=[]))
    assert jwt.decode(rotated.sign(person_id=uuid4(), organisation_id=None, roles=[]),
                      rotated.keys[0]).header["kid"] == rotated.keys[0].kid
