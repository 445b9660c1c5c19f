"""Updates with versions (ETag / If-Match), history, deregistration and the wall between
organisations, on the real PostgreSQL and Kafka."""
import asyncio
import uuid

import pytest

pytestmark = pytest.mark.stack

UPDATED = "nl.weerbaar.registry.entity.updated.v1"


async def registered(registry, **overrides):
    body = await registry.register(registry.form(**overrides))
    org = uuid.UUID(body["id"])
    return org, body, registry.admin_of(org)


async def read(registry, org, headers):
    resp = await registry.client.get(f"/organisations/{org}", headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json(), resp.headers["ETag"]


async def history(registry, org, headers):
    resp = await registry.client.get(f"/organisations/{org}/history", headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()["versions"]


async def test_concurrent_updates_one_wins_the_others_get_409(registry):
    org, body, admin = await registered(registry)
    current, etag = await read(registry, org, admin)
    assert etag == '"1"'
    names = [f"Waterbedrijf Versie {i} N.V." for i in range(4)]

    async def put(name):
        return await registry.client.put(
            f"/organisations/{org}", json={**current["registration"], "legal_name": name},
            headers={**admin, "If-Match": etag})

    responses = await asyncio.gather(*(put(n) for n in names))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 409, 409, 409]
    [winner] = [r for r in responses if r.status_code == 200]
    assert winner.headers["ETag"] == '"2"'
    for loser in (r for r in responses if r.status_code == 409):
        assert loser.json()["errors"][0]["code"] == "version_conflict"

    versions = await history(registry, org, admin)
    assert [v["version"] for v in versions] == [2, 1]
    assert versions[0]["change"] == "updated"
    assert versions[0]["changed_fields"] == ["legal_name"]
    assert versions[0]["registration"]["legal_name"] == winner.json()["registration"]["legal_name"]
    now, _ = await read(registry, org, admin)
    assert now["registration"]["legal_name"] == winner.json()["registration"]["legal_name"]


async def test_update_without_if_match_is_428_and_with_a_stale_one_409(registry):
    org, body, admin = await registered(registry)
    data = {**body["registration"], "phone": "070 999 8888"}
    missing = await registry.client.put(f"/organisations/{org}", json=data, headers=admin)
    assert missing.status_code == 428
    assert missing.json()["errors"][0]["field"] == "If-Match"
    ok = await registry.client.put(f"/organisations/{org}", json=data,
                                   headers={**admin, "If-Match": '"1"'})
    assert ok.status_code == 200 and ok.json()["registration"]["phone"] == "+31709998888"
    stale = await registry.client.put(f"/organisations/{org}", json={**data, "phone": "0701112222"},
                                      headers={**admin, "If-Match": '"1"'})
    assert stale.status_code == 409
    assert [v["version"] for v in await history(registry, org, admin)] == [2, 1]


async def test_update_emits_the_full_snapshot_and_a_classification_change(registry):
    org, body, admin = await registered(registry)
    assert body["classification"]["final"] == "essential"
    smaller = {**body["registration"], "size": {"employees": 120,
               "annual_turnover_eur": "30000000", "balance_sheet_total_eur": "20000000"}}
    resp = await registry.client.put(f"/organisations/{org}", json=smaller,
                                     headers={**admin, "If-Match": '"1"'})
    assert resp.status_code == 200, resp.text
    assert resp.json()["classification"]["final"] == "important"

    [updated] = await registry.event(str(org), UPDATED)
    assert updated.data["registration_version"] == 2
    assert updated.data["changed_fields"] == ["size"]
    assert updated.data["classification"] == "important"
    assert updated.data["legal_name"] == body["registration"]["legal_name"]
    assert updated.data["group_mailbox"] and updated.data["entitlements"]
    [changed] = await registry.event(str(org), "nl.weerbaar.registry.classification.changed.v1")
    assert (changed.data["previous"], changed.data["derived"], changed.data["final"]) == (
        "essential", "important", "important")


async def test_invalid_update_is_refused_with_field_errors_and_changes_nothing(registry):
    org, body, admin = await registered(registry)
    resp = await registry.client.put(
        f"/organisations/{org}", json={**body["registration"], "kvk_number": "12AB5678"},
        headers={**admin, "If-Match": '"1"'})
    assert resp.status_code == 422
    assert [e["field"] for e in resp.json()["errors"]] == ["kvk_number"]
    assert [v["version"] for v in await history(registry, org, admin)] == [1]


@pytest.mark.parametrize("whose", ["another organisation's", "an unregistered"])
async def test_the_kvk_number_of_a_registration_cannot_be_changed(registry, whose):
    """Logins and invitations are matched against it: changing it would hand the registration
    (and who may join it) to another organisation."""
    _, other, _ = await registered(registry)
    org, body, admin = await registered(registry)
    kvk = other["registration"]["kvk_number"] if whose == "another organisation's" else registry.new_kvk()
    resp = await registry.client.put(f"/organisations/{org}", json={**body["registration"], "kvk_number": kvk},
                                     headers={**admin, "If-Match": '"1"'})
    assert resp.status_code == 422, resp.text
    assert resp.json()["errors"][0]["field"] == "kvk_number"
    assert resp.json()["errors"][0]["code"] == "identifier_fixed"
    assert "CSIRT" in resp.json()["errors"][0]["message_nl"]
    assert [v["version"] for v in await history(registry, org, admin)] == [1]


async def test_only_the_people_admin_updates(registry):
    org, body, _ = await registered(registry)
    user = registry.person(org, ["gebruiker", "beheerder_netwerk"])
    assert (await registry.client.get(f"/organisations/{org}", headers=user)).status_code == 200
    resp = await registry.client.put(f"/organisations/{org}", json=body["registration"],
                                     headers={**user, "If-Match": '"1"'})
    assert resp.status_code == 403


async def test_organisation_b_sees_nothing_of_organisation_a(registry):
    org_a, body_a, _ = await registered(registry)
    org_b, _, admin_b = await registered(registry)
    client = registry.client
    for path in (f"/organisations/{org_a}", f"/organisations/{org_a}/history",
                 f"/organisations/{org_a}/entitlements"):
        resp = await client.get(path, headers=admin_b)
        assert resp.status_code == 404, path
    # the same answer as for an id that exists nowhere
    nowhere = await client.get(f"/organisations/{uuid.uuid4()}", headers=admin_b)
    assert nowhere.status_code == 404 and nowhere.json()["errors"][0]["code"] == "not_found"
    put = await client.put(f"/organisations/{org_a}", json=body_a["registration"],
                           headers={**admin_b, "If-Match": '"1"'})
    assert put.status_code == 404
    gone = await client.post(f"/organisations/{org_a}/deregistration",
                             json={"reason": "Wij vallen niet meer onder de wet."}, headers=admin_b)
    assert gone.status_code == 404
    # and A is untouched
    assert [v["version"] for v in await history(registry, org_a, registry.admin_of(org_a))] == [1]


async def test_entitlements_follow_the_registration(registry):
    org, _, admin = await registered(registry, sector="other", legal_name="Winkel Zuid B.V.",
                                     size={"employees": 30, "annual_turnover_eur": 4_000_000,
                                           "balance_sheet_total_eur": 2_000_000})
    resp = await registry.client.get(f"/organisations/{org}/entitlements", headers=admin)
    body = resp.json()
    assert body["classification"] == "not_in_scope"
    assert "incident_reporting.voluntary" in body["services"]
    assert "incident_reporting.statutory" not in body["services"]
    assert body["incident_deadlines"] is None


async def test_deregistration_is_a_recorded_state(registry):
    org, body, admin = await registered(registry)
    short = await registry.client.post(f"/organisations/{org}/deregistration",
                                       json={"reason": "weg"}, headers=admin)
    assert short.status_code == 422
    resp = await registry.client.post(
        f"/organisations/{org}/deregistration",
        json={"reason": "Activiteiten verkocht; valt niet meer onder de Cbw."}, headers=admin)
    assert resp.status_code == 200, resp.text
    assert resp.json()["status"] == "deregistered" and resp.json()["version"] == 2

    [event] = await registry.event(str(org), "nl.weerbaar.registry.entity.deregistered.v1")
    assert event.data["reason"].startswith("Activiteiten verkocht")
    assert event.data["registration_version"] == 2
    versions = await history(registry, org, admin)
    assert [(v["version"], v["change"]) for v in versions] == [(2, "deregistered"), (1, "registered")]
    # still readable, no longer changeable
    entry, etag = await read(registry, org, admin)
    assert entry["deregistration"]["reason"].startswith("Activiteiten verkocht")
    again = await registry.client.put(f"/organisations/{org}", json=body["registration"],
                                      headers={**admin, "If-Match": etag})
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "deregistered"


async def test_an_oin_can_be_added_only_by_a_login_that_speaks_for_it(registry):
    org, body, admin = await registered(registry)
    oin = f"00000003{registry.new_kvk()}0000"
    resp = await registry.client.put(f"/organisations/{org}", json={**body["registration"], "oin": oin},
                                     headers={**admin, "If-Match": '"1"'})
    assert resp.status_code == 403 and resp.json()["errors"][0]["field"] == "oin"
    assert [v["version"] for v in await history(registry, org, admin)] == [1]
    speaks_for_it = registry.person(org, ["gebruiker", "beheerder_personen"], oin=oin)
    resp = await registry.client.put(f"/organisations/{org}", json={**body["registration"], "oin": oin},
                                     headers={**speaks_for_it, "If-Match": '"1"'})
    assert resp.status_code == 200, resp.text
