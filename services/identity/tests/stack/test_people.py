"""Invitations, roles that become usable after the delay, the last-admin rule in every path
(also under concurrency), and organisations never seeing each other's data."""
import asyncio
from uuid import UUID

import pytest
from identity_support import (KVK_ENERGIE, auth, identity_events, identity_service, log_in, of_type,
                              organisation_with_admin, refresh)
from weerbaar_platform.auth import TokenVerifier
from weerbaar_platform.testing import eventually

pytestmark = pytest.mark.stack

BRAM = "bram.jansen@drinkwater.example.nl"          # drinkwater-collega, KvK 12345678
FATIMA = "fatima.elamrani@netbeheer.example.nl"     # energie-loa4, KvK 87654321


async def colleague_with_role(identity, org, admin, role="beheerder_personen"):
    """Invite Bram, let him log in (KvK matches), give him `role`, and move time past the delay."""
    sent = await identity.post(f"/organisations/{org}/invitations", json={"email": BRAM, "roles": ["gebruiker"]},
                               headers=auth(admin))
    assert sent.status_code == 201, sent.text
    bram = await log_in(identity, "eherkenning", "drinkwater-collega")
    assert bram.tokens["acting_organisation_id"] == str(org)
    bram_id = bram.tokens["person"]["id"]
    granted = await identity.post(f"/organisations/{org}/members/{bram_id}/roles", json={"role": role},
                                  headers=auth(admin))
    assert granted.status_code == 201, granted.text
    identity.clock.advance(hours=1, seconds=1)
    return UUID(bram_id), (await refresh(identity, bram.tokens["refresh_token"])).json()


async def test_invited_colleague_joins_and_the_role_becomes_usable_after_an_hour(stack, kafka_namespace, signer):
    async with identity_service(stack, kafka_namespace, signer) as identity:
        org, admin = await organisation_with_admin(identity, stack, kafka_namespace)
        sent = await identity.post(f"/organisations/{org}/invitations",
                                   json={"email": BRAM, "roles": ["gebruiker", "beheerder_netwerk"]}, headers=auth(admin))
        assert sent.status_code == 201, sent.text
        # The invitation is announced so that notify can mail it.
        invited = await eventually(lambda: _invitation_event(stack, kafka_namespace, sent.json()["id"]))
        assert invited.data["email"] == BRAM and invited.data["roles"] == ["beheerder_netwerk", "gebruiker"]

        bram = await log_in(identity, "eherkenning", "drinkwater-collega")
        assert bram.tokens["acting_organisation_id"] == str(org)
        assert bram.tokens["organisations"][0]["roles"] == []  # granted, not usable yet
        jwks = (await identity.get("/.well-known/jwks.json")).json()
        assert (await TokenVerifier(jwks=jwks).verify(bram.tokens["access_token"])).roles == frozenset()
        # Not usable in identity's own API either.
        assert (await identity.post(f"/organisations/{org}/invitations", json={"email": "x@drinkwater.example.nl"},
                                    headers=auth(bram.tokens))).status_code == 403

        identity.clock.advance(minutes=59)
        early = (await refresh(identity, bram.tokens["refresh_token"])).json()
        assert early["organisations"][0]["roles"] == []
        await asyncio.sleep(0.6)  # the scheduler ran at least twice: still nothing due
        events = await identity_events(stack, kafka_namespace)
        assert not of_type(events, "identity.role.activated", person_id=bram.tokens["person"]["id"])

        identity.clock.advance(minutes=1, seconds=1)
        later = (await refresh(identity, early["refresh_token"])).json()
        assert later["organisations"][0]["roles"] == ["beheerder_netwerk", "gebruiker"]
        assert set((await TokenVerifier(jwks=jwks).verify(later["access_token"])).roles) == {
            "beheerder_netwerk", "gebruiker"}

        async def activations():
            found = of_type(await identity_events(stack, kafka_namespace), "identity.role.activated",
                            person_id=bram.tokens["person"]["id"])
            return found if len(found) >= 2 else None
        await eventually(activations, timeout=20)
        await asyncio.sleep(1.0)  # more scheduler rounds: still exactly one per role
        found = of_type(await identity_events(stack, kafka_namespace), "identity.role.activated",
                        person_id=bram.tokens["person"]["id"])
        assert sorted(e.data["role"] for e in found) == ["beheerder_netwerk", "gebruiker"]

        log = (await identity.get(f"/organisations/{org}/audit", headers=auth(admin))).json()["entries"]
        kinds = {e["kind"] for e in log}
        assert {"invitation_created", "invitation_accepted", "role_granted", "person_joined", "login"} <= kinds


async def test_invitation_refused_when_the_login_is_for_another_kvk(stack, kafka_namespace, signer):
    async with identity_service(stack, kafka_namespace, signer) as identity:
        org, admin = await organisation_with_admin(identity, stack, kafka_namespace)
        sent = await identity.post(f"/organisations/{org}/invitations", json={"email": FATIMA}, headers=auth(admin))
        assert sent.status_code == 201
        fatima = await log_in(identity, "eherkenning", "energie-loa4")  # KvK 87654321, invited by 12345678
        assert fatima.refused and fatima.page.status_code == 403
        assert "Waterbedrijf Voorbeeld N.V." in fatima.page.text and "KvK-nummer" in fatima.page.text
        members = (await identity.get(f"/organisations/{org}/members", headers=auth(admin))).json()["members"]
        assert FATIMA not in {m["email"] for m in members}
        log = (await identity.get(f"/organisations/{org}/audit", headers=auth(admin))).json()["entries"]
        assert any(e["kind"] == "login" and e["outcome"] == "refused"
                   and e["detail"]["reason"] == "invitation_mismatch" for e in log)
        invitations = (await identity.get(f"/organisations/{org}/invitations", headers=auth(admin))).json()
        assert invitations["invitations"][0]["status"] == "open"


async def test_last_admin_can_neither_leave_nor_be_removed_nor_lose_the_role(stack, kafka_namespace, signer):
    async with identity_service(stack, kafka_namespace, signer) as identity:
        org, admin = await organisation_with_admin(identity, stack, kafka_namespace)
        anna = admin["person"]["id"]
        leave = await identity.delete(f"/organisations/{org}/members/{anna}", headers=auth(admin))
        assert leave.status_code == 409
        error = leave.json()["errors"][0]
        assert error["code"] == "last_beheerder" and "Maak eerst iemand anders beheerder" in error["message_nl"]
        assert "Appoint another admin first" in error["message_en"]
        lose = await identity.delete(f"/organisations/{org}/members/{anna}/roles/beheerder_personen",
                                     headers=auth(admin))
        assert lose.status_code == 409

        # Bram, a plain user, cannot remove her either: the rule speaks first.
        bram_id, bram = await colleague_with_role(identity, org, admin, role="beheerder_netwerk")
        removed = await identity.delete(f"/organisations/{org}/members/{anna}", headers=auth(bram))
        assert removed.status_code == 409
        # Bram is made admin too, but until his role is usable Anna is still the last usable
        # one: leaving now would leave the organisation without an admin for an hour.
        grant = await identity.post(f"/organisations/{org}/members/{bram_id}/roles",
                                    json={"role": "beheerder_personen"}, headers=auth(admin))
        assert grant.status_code == 201
        early = await identity.delete(f"/organisations/{org}/members/{anna}/roles/beheerder_personen",
                                      headers=auth(admin))
        assert early.status_code == 409 and early.json()["errors"][0]["code"] == "last_beheerder"
        # Once the hour has passed, Anna may give the role up.
        identity.clock.advance(hours=1, seconds=1)
        assert (await identity.delete(f"/organisations/{org}/members/{anna}/roles/beheerder_personen",
                                      headers=auth(admin))).status_code == 204
        # Now Bram is the last admin: he cannot lose the role nor leave.
        bram = (await refresh(identity, bram["refresh_token"])).json()
        assert (await identity.delete(f"/organisations/{org}/members/{bram_id}/roles/beheerder_personen",
                                      headers=auth(bram))).status_code == 409
        assert (await identity.delete(f"/organisations/{org}/members/{bram_id}",
                                      headers=auth(bram))).status_code == 409
        assert (await identity.delete(f"/organisations/{org}/members/{anna}", headers=auth(bram))).status_code == 204
        events = await identity_events(stack, kafka_namespace)
        assert len(of_type(events, "identity.person.removed", person_id=anna)) == 1


@pytest.mark.parametrize("how", ["remove_each_other", "both_leave", "withdraw_each_others_role"])
async def test_two_admins_at_the_same_moment_one_fails(stack, kafka_namespace, signer, how):
    async with identity_service(stack, kafka_namespace, signer) as identity:
        org, anna = await organisation_with_admin(identity, stack, kafka_namespace)
        anna_id = UUID(anna["person"]["id"])
        bram_id, bram = await colleague_with_role(identity, org, anna)
        anna = (await refresh(identity, anna["refresh_token"])).json()
        assert "beheerder_personen" in bram["organisations"][0]["roles"]

        def path(actor, target):
            if how == "remove_each_other":
                return f"/organisations/{org}/members/{target}"
            if how == "both_leave":
                return f"/organisations/{org}/members/{actor}"
            return f"/organisations/{org}/members/{target}/roles/beheerder_personen"

        # Whoever wins the race, exactly one succeeds and one admin is left.
        answers = await asyncio.gather(identity.delete(path(anna_id, bram_id), headers=auth(anna)),
                                       identity.delete(path(bram_id, anna_id), headers=auth(bram)))
        assert sorted(a.status_code for a in answers) == [204, 409], [a.text for a in answers]
        loser = next(a for a in answers if a.status_code == 409)
        assert loser.json()["errors"][0]["code"] == "last_beheerder"
        admins = await identity.app.state.runtime.pool.fetchval(
            "SELECT count(*) FROM role_grants WHERE organisation_id = $1 AND role = 'beheerder_personen' "
            "AND withdrawn_at IS NULL", org)
        assert admins == 1


async def test_a_token_of_organisation_a_never_reads_organisation_b(stack, kafka_namespace, signer):
    async with identity_service(stack, kafka_namespace, signer) as identity:
        org_a, admin_a = await organisation_with_admin(identity, stack, kafka_namespace)
        org_b, admin_b = await organisation_with_admin(identity, stack, kafka_namespace, who="energie-loa4",
                                                       kvk=KVK_ENERGIE, legal_name="Netbeheer Voorbeeld B.V.")
        b_person = admin_b["person"]["id"]
        h = auth(admin_a)
        for method, url, body in [
            ("GET", f"/organisations/{org_b}/members", None),
            ("GET", f"/organisations/{org_b}/invitations", None),
            ("GET", f"/organisations/{org_b}/audit", None),
            ("POST", f"/organisations/{org_b}/invitations", {"email": "spy@example.org"}),
            ("POST", f"/organisations/{org_b}/members/{b_person}/roles", {"role": "gebruiker"}),
            ("DELETE", f"/organisations/{org_b}/members/{b_person}/roles/gebruiker", None),
            ("DELETE", f"/organisations/{org_b}/members/{b_person}", None),
        ]:
            answer = await identity.request(method, url, json=body, headers=h)
            assert answer.status_code == 404, (method, url, answer.text)
            assert "Netbeheer" not in answer.text and b_person not in answer.text
        # Nor can A's admin switch to acting for B.
        assert (await refresh(identity, admin_a["refresh_token"], org_b)).status_code == 403
        # A's own view never lists B's people or logins.
        members = (await identity.get(f"/organisations/{org_a}/members", headers=h)).json()["members"]
        assert b_person not in {str(m["id"]) for m in members}
        log = (await identity.get(f"/organisations/{org_a}/audit", headers=h)).json()["entries"]
        assert all(str(e["person_id"]) != b_person for e in log)
        me = (await identity.get("/me", headers=h)).json()
        assert [o["id"] for o in me["organisations"]] == [str(org_a)]


async def test_signing_key_rotation_keeps_old_tokens_valid(stack, kafka_namespace, signer):
    async with identity_service(stack, kafka_namespace, signer) as identity:
        coordinator = await log_in(identity, "ssonrijk", "csirt-coordinator")
        before = (await identity.get("/.well-known/jwks.json")).json()
        rotated = await identity.post("/admin/signing-keys/rotate", headers=auth(coordinator.tokens))
        assert rotated.status_code == 200, rotated.text
        after = (await identity.get("/.well-known/jwks.json")).json()
        assert len(after["keys"]) == 2 and before["keys"][0]["kid"] in {k["kid"] for k in after["keys"]}
        old = await TokenVerifier(jwks=after).verify(coordinator.tokens["access_token"])
        assert old.roles == {"csirt_beheerder"}
        fresh = (await refresh(identity, coordinator.tokens["refresh_token"])).json()
        from joserfc import jws
        assert jws.extract_compact(fresh["access_token"].encode()).headers()["kid"] == rotated.json()["kid"]
        assert (await identity.get("/me", headers=auth(fresh))).status_code == 200
        assert (await identity.get("/me", headers=auth(coordinator.tokens))).status_code == 200
        plain = await log_in(identity, "ssonrijk", "ministerie-medewerker")
        assert (await identity.post("/admin/signing-keys/rotate", headers=auth(plain.tokens))).status_code == 403


async def _invitation_event(stack, namespace, invitation_id):
    found = of_type(await identity_events(stack, namespace), "identity.invitation.created",
                    invitation_id=invitation_id)
    return found[0] if found else None
