import base64
import hashlib
import json
import secrets
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc import errors, jwt
from joserfc.jwk import KeySet

from weerbaar_devstack.idp import ClientRegistration, IdpSettings, create_app

BASE = "http://idp.test"
REDIRECT = "http://rp.test/callback"
CLIENT_ID, SECRET = "portal", "portal-secret"


class Clock:
    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self):
        return self.now


def make_app(clock=None, **settings):
    clients = [ClientRegistration(client_id=CLIENT_ID, client_secret=SECRET, redirect_uris=[REDIRECT])]
    values = {"issuer_base": BASE, "clients": clients, "allow_tampering": True, **settings}
    return create_app(IdpSettings(**values), clock=clock) if clock else create_app(IdpSettings(**values))


@pytest.fixture(scope="module")
def app():
    return make_app()


@pytest.fixture
async def idp(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as client:
        yield client


def pkce():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def auth_params(challenge, **extra):
    return {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT, "scope": "openid",
            "state": "st-123", "nonce": "n-456", "code_challenge": challenge,
            "code_challenge_method": "S256", **extra}


def query_of(response):
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


async def get_code(idp, issuer="eherkenning", person="drinkwater-beheerder", **extra):
    verifier, challenge = pkce()
    response = await idp.get(f"/{issuer}/authorize", params=auth_params(challenge, login_hint=person, **extra))
    return query_of(response)["code"], verifier


def token_form(code, verifier, **extra):
    return {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
            "code_verifier": verifier, "client_id": CLIENT_ID, "client_secret": SECRET, **extra}


async def verify(idp, token, issuer="eherkenning", nonce="n-456"):
    jwks = (await idp.get(f"/{issuer}/jwks")).json()
    decoded = jwt.decode(token, KeySet.import_key_set(jwks), algorithms=["RS256"])
    jwt.JWTClaimsRegistry(iss={"essential": True, "value": f"{BASE}/{issuer}"},
                          aud={"essential": True, "value": CLIENT_ID},
                          nonce={"essential": True, "value": nonce},
                          exp={"essential": True}).validate(decoded.claims)
    return decoded.claims


@pytest.mark.parametrize("issuer", ["ssonrijk", "eherkenning"])
async def test_discovery_document_names_issuer_endpoints_and_s256_only(idp, issuer):
    doc = (await idp.get(f"/{issuer}/.well-known/openid-configuration")).json()
    assert doc["issuer"] == f"{BASE}/{issuer}"
    assert doc["token_endpoint"] == f"{BASE}/{issuer}/token"
    assert doc["jwks_uri"] == f"{BASE}/{issuer}/jwks"
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert set(doc["token_endpoint_auth_methods_supported"]) == {"client_secret_post", "client_secret_basic"}


async def test_jwks_publishes_public_rs256_key_only_and_differs_per_idp(idp):
    sso = (await idp.get("/ssonrijk/jwks")).json()["keys"]
    eh = (await idp.get("/eherkenning/jwks")).json()["keys"]
    assert [k["kty"] for k in sso] == ["RSA"] and "d" not in sso[0]
    assert sso[0]["kid"] != eh[0]["kid"]


async def test_code_flow_returns_state_unchanged_and_eherkenning_id_token_with_kvk_and_level(idp):
    verifier, challenge = pkce()
    query = query_of(await idp.get("/eherkenning/authorize",
                                   params=auth_params(challenge, login_hint="drinkwater-beheerder")))
    assert query["state"] == "st-123"
    tokens = (await idp.post("/eherkenning/token", data=token_form(query["code"], verifier))).json()
    claims = await verify(idp, tokens["id_token"])
    assert claims["sub"] == "eh-pseudo-7f3a91c2"
    assert claims["kvk"] == "12345678"
    assert claims["organization_name"] == "Waterbedrijf Voorbeeld N.V."
    assert claims["acr"] == "urn:etoegang:core:assurance-class:loa2plus"
    assert claims["auth_time"] <= claims["iat"] < claims["exp"]


async def test_ssonrijk_id_token_carries_organisation_oin(idp):
    code, verifier = await get_code(idp, "ssonrijk", "ministerie-medewerker")
    tokens = (await idp.post("/ssonrijk/token", data=token_form(code, verifier))).json()
    claims = await verify(idp, tokens["id_token"], "ssonrijk")
    assert claims["oin"] == "00000001003214345000"
    assert claims["email"] == "dewi.kramer@ministerie.example.nl"
    assert "kvk" not in claims


async def test_person_of_another_idp_cannot_be_logged_in_by_hint(idp):
    _, challenge = pkce()
    response = await idp.get("/ssonrijk/authorize", params=auth_params(challenge, login_hint="drinkwater-beheerder"))
    assert response.status_code == 200 and "Eva Smit" in response.text and "Anna de Vries" not in response.text


async def test_userinfo_returns_person_claims_for_access_token(idp):
    code, verifier = await get_code(idp)
    tokens = (await idp.post("/eherkenning/token", data=token_form(code, verifier))).json()
    info = (await idp.get("/eherkenning/userinfo",
                          headers={"Authorization": f"Bearer {tokens['access_token']}"})).json()
    assert info["kvk"] == "12345678" and info["name"] == "Anna de Vries"
    assert (await idp.get("/eherkenning/userinfo", headers={"Authorization": "Bearer nope"})).status_code == 401


async def test_client_secret_basic_is_accepted(idp):
    code, verifier = await get_code(idp)
    form = token_form(code, verifier)
    del form["client_id"], form["client_secret"]
    response = await idp.post("/eherkenning/token", data=form, auth=(CLIENT_ID, SECRET))
    assert response.status_code == 200 and "id_token" in response.json()


async def test_wrong_client_secret_is_refused(idp):
    code, verifier = await get_code(idp)
    response = await idp.post("/eherkenning/token", data=token_form(code, verifier, client_secret="guess"))
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


async def test_bad_code_verifier_is_refused(idp):
    code, _ = await get_code(idp)
    response = await idp.post("/eherkenning/token", data=token_form(code, pkce()[0]))
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


async def test_code_is_single_use(idp):
    code, verifier = await get_code(idp)
    assert (await idp.post("/eherkenning/token", data=token_form(code, verifier))).status_code == 200
    again = await idp.post("/eherkenning/token", data=token_form(code, verifier))
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


async def test_code_expires_after_its_short_lifetime():
    clock = Clock()
    app = make_app(clock, code_lifetime_seconds=60)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as idp:
        code, verifier = await get_code(idp)
        clock.now += 61
        response = await idp.post("/eherkenning/token", data=token_form(code, verifier))
    assert response.json() == {"error": "invalid_grant", "error_description": "authorization code has expired"}


async def test_unregistered_redirect_uri_is_refused_without_redirecting(idp):
    _, challenge = pkce()
    params = auth_params(challenge, login_hint="drinkwater-beheerder", redirect_uri=REDIRECT + "/evil")
    response = await idp.get("/eherkenning/authorize", params=params)
    assert response.status_code == 400 and "location" not in response.headers


async def test_redirect_uri_must_match_at_token_endpoint(idp):
    code, verifier = await get_code(idp)
    response = await idp.post("/eherkenning/token", data=token_form(code, verifier, redirect_uri=REDIRECT + "/x"))
    assert response.json()["error"] == "invalid_grant"


@pytest.mark.parametrize("pkce_params", [{"code_challenge": ""}, {"code_challenge_method": "plain"},
                                         {"code_challenge_method": ""}])
async def test_authorization_without_s256_pkce_is_refused(idp, pkce_params):
    _, challenge = pkce()
    params = {k: v for k, v in {**auth_params(challenge, login_hint="drinkwater-beheerder"), **pkce_params}.items() if v}
    query = query_of(await idp.get("/eherkenning/authorize", params=params))
    assert query["error"] == "invalid_request" and "code" not in query and query["state"] == "st-123"


async def test_login_page_lists_people_and_form_post_logs_chosen_person_in(idp):
    verifier, challenge = pkce()
    page = await idp.get("/eherkenning/authorize", params=auth_params(challenge))
    assert "Anna de Vries" in page.text and "Eva Smit" not in page.text
    request_id = page.text.split('name="request_id" value="')[1].split('"')[0]
    chosen = await idp.post("/eherkenning/authorize", data={"request_id": request_id, "person": "drinkwater-loa2"})
    tokens = (await idp.post("/eherkenning/token", data=token_form(query_of(chosen)["code"], verifier))).json()
    assert (await verify(idp, tokens["id_token"]))["acr"] == "urn:etoegang:core:assurance-class:loa2"


async def test_keys_file_keeps_signing_keys_across_restarts(tmp_path):
    keys_file = tmp_path / "keys.json"
    first, second = make_app(keys_file=keys_file), make_app(keys_file=keys_file)
    assert first.state.idps["eherkenning"].key.kid == second.state.idps["eherkenning"].key.kid
    assert keys_file.stat().st_mode & 0o077 == 0


async def test_people_file_replaces_built_in_people(tmp_path):
    people = [{"id": "p1", "idp": "eherkenning", "sub": "s1", "name": "Piet", "email": "p@x.example",
               "organization_name": "X B.V.", "kvk": "99999999",
               "acr": "urn:etoegang:core:assurance-class:loa3"}]
    (tmp_path / "people.json").write_text(json.dumps(people))
    app = make_app(people_file=tmp_path / "people.json")
    assert list(app.state.idps["eherkenning"].people) == ["p1"] and app.state.idps["ssonrijk"].people == {}


async def test_tamper_request_is_refused_when_tampering_is_off():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app(allow_tampering=False)),
                                 base_url=BASE) as idp:
        _, challenge = pkce()
        params = auth_params(challenge, login_hint="drinkwater-beheerder", tamper="alg_none")
        query = query_of(await idp.get("/eherkenning/authorize", params=params))
    assert query["error"] == "invalid_request" and "code" not in query


@pytest.mark.parametrize("tamper, error, claim", [
    ("alg_none", errors.UnsupportedAlgorithmError, None),
    ("wrong_key", errors.BadSignatureError, None),
    ("expired", errors.ExpiredTokenError, None),
    ("wrong_audience", errors.InvalidClaimError, "aud"),
    ("wrong_nonce", errors.InvalidClaimError, "nonce"),
    ("wrong_issuer", errors.InvalidClaimError, "iss"),
])
async def test_each_tamper_mode_yields_a_token_that_verification_rejects_for_that_reason(idp, tamper, error, claim):
    code, verifier = await get_code(idp, tamper=tamper)
    tokens = (await idp.post("/eherkenning/token", data=token_form(code, verifier))).json()
    with pytest.raises(error) as raised:
        await verify(idp, tokens["id_token"])
    if claim:
        assert raised.value.claim == claim


async def test_authlib_async_client_completes_flow_and_id_token_verifies(app, idp):
    transport = httpx.ASGITransport(app=app)
    issuer = f"{BASE}/eherkenning"
    meta = (await idp.get("/eherkenning/.well-known/openid-configuration")).json()
    async with AsyncOAuth2Client(CLIENT_ID, SECRET, scope="openid", redirect_uri=REDIRECT,
                                 code_challenge_method="S256", transport=transport) as rp:
        verifier = secrets.token_urlsafe(48)
        url, state = rp.create_authorization_url(meta["authorization_endpoint"], code_verifier=verifier,
                                                 nonce="n-456", login_hint="drinkwater-collega")
        callback = await idp.get(url)  # the browser's part: the IdP logs the hinted person in
        assert callback.status_code == 302
        token = await rp.fetch_token(meta["token_endpoint"], authorization_response=callback.headers["location"],
                                     code_verifier=verifier, state=state)
        userinfo = (await rp.get(meta["userinfo_endpoint"])).json()
    claims = await verify(idp, token["id_token"], nonce="n-456")
    assert claims["iss"] == issuer and claims["sub"] == "eh-pseudo-24be08d1" == userinfo["sub"]
    assert claims["acr"].endswith(":loa3")


async def test_the_index_page_lists_the_test_people():
    import httpx
    from weerbaar_devstack.idp.app import create_app
    from weerbaar_devstack.idp.settings import IdpSettings

    app = create_app(IdpSettings(issuer_base="http://idp.test"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://idp.test") as client:
        index = (await client.get("/")).text
    assert "Anna de Vries" in index and "KvK 12345678" in index and "loa2plus" in index
    assert "Dewi Kramer" in index and "OIN 00000001003214345000" in index
