"""Full logins through the real stand-in IdP (both upstreams), the refusals, and the token."""
import pytest
from identity_support import (KVK_DRINKWATER, auth, identity_events, identity_service, log_in,
                              of_type, organisation_with_admin, refresh)
from weerbaar_platform.auth import TokenVerifier

pytestmark = pytest.mark.stack


async def test_eherkenning_login_makes_the_registering_person_first_admin(stack, kafka_namespace, signer):
    async with identity_service(stack, kafka_namespace, signer) as identity:
        first = await log_in(identity, "eherkenning", "drinkwater-beheerder")
        assert first.tokens["acting_organisation_id"] is None  # no organisation yet: may register one
        assert first.tokens["person"]["email"] == "anna.devries@drinkwater.example.nl"

        org, tokens = await organisation_with_admin(identity, stack, kafka_namespace)
        assert tokens["organisations"] == [{"id": str(org), "name": "Waterbedrijf Voorbeeld N.V.",
                                            "roles": ["beheerder_personen", "gebruiker"]}]
        jwks = (await identity.get("/.well-known/jwks.json")).json()
        principal = await TokenVerifier(jwks=jwks).verify(tokens["access_token"])
        assert principal.organisation_id == org
        assert principal.roles == {"beheerder_personen", "gebruiker"}

        me = await identity.get("/me", headers=auth(tokens))
        assert me.status_code == 200 and me.json()["acting_organisation_id"] == str(org)

        from weerbaar_platform.testing import eventually

        async def activated():
            events = await identity_events(stack, kafka_namespace)
            return events if len(of_type(events, "identity.role.activated", organisation_id=org)) == 2 else None
        events = await eventually(activated, timeout=20)
        assert len(of_type(events, "identity.person.joined", organisation_id=org)) == 1
        assert len(of_type(events, "identity.role.granted", organisation_id=org)) == 2
        activation = of_type(events, "identity.role.activated", role="beheerder_personen")[0]
        assert activation.data["email"] == "anna.devries@drinkwater.example.nl"

        # Audit: the organisation's admin sees logins for it with IdP and level.
        again = await log_in(identity, "eherkenning", "drinkwater-beheerder")
        assert again.tokens["acting_organisation_id"] == str(org)
        log = (await identity.get(f"/organisations/{org}/audit", headers=auth(tokens))).json()["entries"]
        assert any(e["kind"] == "login" and e["outcome"] == "ok" and e["idp"] == "eherkenning"
                   and e["level"] == "loa2plus" for e in log)


async def test_ssonrijk_login_and_csirt_staff(stack, kafka_namespace, signer):
    async with identity_service(stack, kafka_namespace, signer) as identity:
        civil_servant = await log_in(identity, "ssonrijk", "ministerie-medewerker")
        assert civil_servant.tokens["person"]["name"] == "Dewi Kramer"
        jwks = (await identity.get("/.well-known/jwks.json")).json()
        assert (await TokenVerifier(jwks=jwks).verify(civil_servant.tokens["access_token"])).organisation_id is None

        # Staff are recognised by the CSIRT's OIN; the bootstrap admin's role works at once.
        coordinator = await log_in(identity, "ssonrijk", "csirt-coordinator")
        settings = identity.app.state.runtime.settings
        assert coordinator.tokens["acting_organisation_id"] == str(settings.csirt_organisation_id)
        assert coordinator.tokens["organisations"][0]["roles"] == ["csirt_beheerder"]
        analist = await log_in(identity, "ssonrijk", "csirt-analist")
        assert analist.tokens["organisations"][0]["roles"] == []  # staff, but no role given yet
        grant = await identity.post(f"/organisations/{settings.csirt_organisation_id}/members/"
                                    f"{analist.tokens['person']['id']}/roles", json={"role": "analist"},
                                    headers=auth(coordinator.tokens))
        assert grant.status_code == 201, grant.text
        wrong = await identity.post(f"/organisations/{settings.csirt_organisation_id}/members/"
                                    f"{analist.tokens['person']['id']}/roles", json={"role": "gebruiker"},
                                    headers=auth(coordinator.tokens))
        assert wrong.status_code == 422
        # The CSIRT keeps its admin too: the only csirt_beheerder can neither give the role up nor leave.
        gijs = coordinator.tokens["person"]["id"]
        for path in (f"/organisations/{settings.csirt_organisation_id}/members/{gijs}/roles/csirt_beheerder",
                     f"/organisations/{settings.csirt_organisation_id}/members/{gijs}"):
            kept = await identity.delete(path, headers=auth(coordinator.tokens))
            assert kept.status_code == 409 and kept.json()["errors"][0]["code"] == "last_beheerder", kept.text


async def test_level_below_eh2plus_is_refused_with_a_bilingual_page(stack, kafka_namespace, signer):
    async with identity_service(stack, kafka_namespace, signer) as identity:
        org, admin = await organisation_with_admin(identity, stack, kafka_namespace)
        login = await log_in(identity, "eherkenning", "drinkwater-loa2")
        assert login.refused and login.page.status_code == 403
        assert "EH2+" in login.page.text and "Wat kunt u doen" in login.page.text
        assert "What you can do" in login.page.text
        higher = await log_in(identity, "eherkenning", "energie-loa4")  # loa4 is above EH2+
        assert not higher.refused
        log = (await identity.get(f"/organisations/{org}/audit", headers=auth(admin))).json()["entries"]
        refused = [e for e in log if e["kind"] == "login" and e["outcome"] == "refused"]
        assert refused and refused[0]["level"] == "loa2" and refused[0]["detail"]["reason"] == "level_too_low"


@pytest.mark.parametrize("tamper", ["alg_none", "wrong_key", "expired", "wrong_audience", "wrong_nonce",
                                    "wrong_issuer"])
async def test_bad_id_tokens_are_refused(stack, kafka_namespace, signer, tamper):
    async with identity_service(stack, kafka_namespace, signer) as identity:
        login = await log_in(identity, "eherkenning", "drinkwater-collega", tamper=tamper)
        assert login.refused and login.page.status_code == 400, login.page.text
        assert "Inloggen niet gelukt" in login.page.text
        count = await identity.app.state.runtime.pool.fetchval(
            "SELECT count(*) FROM audit_log WHERE kind = 'login' AND outcome = 'refused' "
            "AND detail->>'reason' = 'not_verified'")
        assert count == 1
        assert await identity.app.state.runtime.pool.fetchval("SELECT count(*) FROM people") == 0


async def test_tampered_state_is_refused_and_the_login_cannot_be_replayed(stack, kafka_namespace, signer):
    async with identity_service(stack, kafka_namespace, signer) as identity:
        login = await log_in(identity, "eherkenning", "drinkwater-collega", change_state=True)
        assert login.refused and login.page.status_code == 400
        assert "verlopen of ongeldig" in login.page.text


async def test_refresh_rotates_and_revoke_ends_the_session(stack, kafka_namespace, signer):
    async with identity_service(stack, kafka_namespace, signer) as identity:
        login = await log_in(identity, "eherkenning", "drinkwater-collega")
        first = login.tokens["refresh_token"]
        second = await refresh(identity, first)
        assert second.status_code == 200 and second.json()["refresh_token"] != first
        # The old one coming back means it was copied: it fails, and so does the whole session.
        assert (await refresh(identity, first)).status_code == 400
        assert (await refresh(identity, second.json()["refresh_token"])).status_code == 400

        other = await log_in(identity, "eherkenning", "drinkwater-collega")
        assert (await identity.post("/revoke", data={"token": other.tokens["refresh_token"]})).status_code == 200
        assert (await refresh(identity, other.tokens["refresh_token"])).json()["error"] == "invalid_grant"


async def test_login_attempts_are_limited_per_account(stack, kafka_namespace, signer):
    async with identity_service(stack, kafka_namespace, signer, login_limit_per_account=2) as identity:
        assert not (await log_in(identity, "eherkenning", "drinkwater-collega")).refused
        assert not (await log_in(identity, "eherkenning", "drinkwater-collega")).refused
        third = await log_in(identity, "eherkenning", "drinkwater-collega")
        assert third.refused and third.page.status_code == 429
        assert not (await log_in(identity, "eherkenning", "energie-loa4")).refused  # another account


async def test_login_attempts_are_limited_per_client_address(stack, kafka_namespace, signer):
    from identity_support import GATEWAY_CALLBACK, s256

    async with identity_service(stack, kafka_namespace, signer, login_limit_per_ip=2) as identity:
        def start():
            return identity.get("/authorize", params={
                "idp": "eherkenning", "client_id": "gateway", "redirect_uri": GATEWAY_CALLBACK, "state": "s" * 22,
                "code_challenge": s256("v" * 50), "code_challenge_method": "S256"})
        assert [(await start()).status_code for _ in range(2)] == [302, 302]
        third = await start()
        assert third.status_code == 429 and "Te veel" in third.text
        async with identity.app.state.runtime.pool.acquire() as conn:
            refused = await conn.fetch("SELECT detail FROM audit_log WHERE kind = 'login' AND outcome = 'refused'")
        assert [r["detail"] for r in refused] == [{"limit": "ip", "reason": "rate_limited"}]  # and it is audited
