"""Registration over HTTP on the real PostgreSQL and Kafka: the five classification cases with
their reasoning, refusals with field errors in Dutch and English, and the registration event."""
import pytest

M = 1_000_000


def sized(employees, turnover=0, balance=0):
    return {"employees": employees, "annual_turnover_eur": turnover,
            "balance_sheet_total_eur": balance}


pytestmark = pytest.mark.stack

MINISTRY = dict(
    sector="public_administration", entity_type="public_administration.central_government",
    kvk_number=None, rsin=None, size=None,
    legal_name="Ministerie van Binnenlandse Zaken en Koninkrijksrelaties")


@pytest.mark.parametrize("overrides,expected,last_step,reference", [
    pytest.param({}, "essential", "annex_i_large", "NIS2 art. 3(1)(a)",
                 id="large drinking-water company"),
    pytest.param(dict(sector="food", size=sized(120, 30 * M, 20 * M),
                      legal_name="Zuivel Midden B.V."),
                 "important", "annex_ii_medium", "NIS2 art. 2(1), 3(2)",
                 id="medium food producer"),
    pytest.param(dict(sector="digital_infrastructure",
                      entity_type="digital_infrastructure.dns_service_provider",
                      size=sized(4, M // 2, M // 2), legal_name="Klein DNS B.V."),
                 "essential", "size_independent_essential", "NIS2 art. 2(2)(a)(ii)-(iii), 3(1)(b)",
                 id="small DNS provider"),
    pytest.param(dict(sector="other", size=sized(30, 4 * M, 2 * M), legal_name="Winkel B.V."),
                 "not_in_scope", "outside_annexes", "NIS2 art. 2(1), 30",
                 id="small retailer"),
    pytest.param(MINISTRY, "essential", "central_government", "NIS2 art. 2(2)(f)(i), 3(1)(d)",
                 id="central-government ministry"),
])
async def test_classification_with_its_reasoning(registry, overrides, expected, last_step,
                                                 reference):
    if overrides.get("sector") == "public_administration":
        overrides = {**overrides, "oin": f"00000003{registry.new_kvk()}0000"}
    body = await registry.register(registry.form(**overrides))

    classification = body["classification"]
    assert (classification["derived"], classification["final"]) == (expected, expected)
    steps = classification["reasoning"]
    assert steps[-1]["code"] == last_step and steps[-1]["reference"] == reference
    assert all(s["text_nl"] and s["text_en"] and s["reference"] for s in steps)
    # the reasoning is stored, not only computed for this answer
    again = await registry.client.get(f"/organisations/{body['id']}",
                                      headers=registry.analyst())
    assert again.json()["classification"]["reasoning"] == steps
    statutory = "incident_reporting.statutory" in body["entitlements"]["services"]
    assert statutory is (expected != "not_in_scope")


def errors_of(resp) -> dict[str, str]:
    body = resp.json()
    for error in body["errors"]:
        assert error["message_nl"] and error["message_en"], error
        assert error["message_nl"] != error["message_en"], error
    return {e["field"]: e["code"] for e in body["errors"]}


@pytest.mark.parametrize("overrides,field,code", [
    (dict(kvk_number="1234567"), "kvk_number", "kvk_number_invalid"),
    (dict(kvk_number="1234 5678"), "kvk_number", "kvk_number_invalid"),
    (dict(sector="bakeries"), "sector", "sector_unknown"),
    (dict(sector="energy", subsector="transport.air"), "subsector", "subsector_not_in_sector"),
    (dict(security_contact=None), "security_contact", "missing"),
    (dict(security_contact={"email": "soc@waterbedrijf.example.nl"}),
     "security_contact.phone_24x7", "missing"),
])
async def test_refusals_name_the_field(registry, overrides, field, code):
    resp = await registry.client.post("/organisations", json=registry.form(**overrides),
                                      headers=registry.person())
    assert resp.status_code == 422, resp.text
    assert errors_of(resp) == {field: code}


async def test_second_registration_of_the_same_kvk_number_is_refused(registry):
    data = registry.form()
    first = await registry.register(data)
    resp = await registry.client.post("/organisations", json={**data, "legal_name": "Kopie B.V."},
                                      headers=registry.registrant(data))
    assert resp.status_code == 409
    assert errors_of(resp) == {"kvk_number": "kvk_number_already_registered"}
    search = await registry.client.get("/csirt/organisations", params={"kvk": data["kvk_number"]},
                                       headers=registry.analyst())
    assert [o["id"] for o in search.json()["items"]] == [first["id"]]


async def test_second_registration_of_the_same_oin_is_refused(registry):
    data = registry.form(**MINISTRY, oin=f"00000003{registry.new_kvk()}0000")
    await registry.register(data)
    resp = await registry.client.post("/organisations", json=data, headers=registry.registrant(data))
    assert resp.status_code == 409
    assert errors_of(resp) == {"oin": "oin_already_registered"}


@pytest.mark.parametrize("attested", [{}, {"kvk": "10000007"}, {"oin": "00000003123456780000"}],
                         ids=["no KvK or OIN", "another KvK number", "an OIN for a KvK registration"])
async def test_a_login_registers_only_the_organisation_it_speaks_for(registry, attested):
    data = registry.form()
    resp = await registry.client.post("/organisations", json=data, headers=registry.person(None, (), **attested))
    assert resp.status_code == 403, resp.text
    assert errors_of(resp) == {"kvk_number": "not_attested_by_login"}
    error = resp.json()["errors"][0]
    assert "eHerkenning" in error["message_nl"] and "eHerkenning" in error["message_en"]
    search = await registry.client.get("/csirt/organisations", params={"kvk": data["kvk_number"]},
                                       headers=registry.analyst())
    assert search.json()["items"] == []  # nothing was stored


async def test_a_kvk_login_cannot_claim_an_oin_beside_its_kvk_number(registry):
    """Found by breaking it: a company registered with the ministry's OIN beside its own KvK
    number, and the ministry could then no longer register."""
    data = registry.form(oin=f"00000003{registry.new_kvk()}0000")
    resp = await registry.client.post("/organisations", json=data,
                                      headers=registry.person(None, (), kvk=data["kvk_number"]))
    assert resp.status_code == 403 and errors_of(resp) == {"oin": "not_attested_by_login"}


async def test_registration_needs_a_login(registry):
    resp = await registry.client.post("/organisations", json=registry.form())
    assert resp.status_code == 401


async def test_registration_event_reaches_kafka_with_the_snapshot(registry):
    data = registry.form(sector="food", size=sized(120, 30 * M, 20 * M), legal_name="Zuivel Noord B.V.")
    person = registry.registrant(data, name="Eva Jansen", email="eva@zuivel.example.nl")
    body = await registry.register(data, headers=person)
    assert body["status"] == "registered" and body["version"] == 1

    [event] = await registry.event(body["id"], "nl.weerbaar.registry.entity.registered.v1")
    snapshot = event.data
    assert event.source == "/weerbaar/registry"
    assert snapshot["organisation_id"] == body["id"]
    assert snapshot["registration_version"] == 1
    assert (snapshot["legal_name"], snapshot["kvk"], snapshot["oin"]) == (
        "Zuivel Noord B.V.", data["kvk_number"], None)
    assert (snapshot["sector"], snapshot["subsector"], snapshot["entity_type"]) == (
        "food", None, "food.food_business")
    assert snapshot["classification"] == "important"
    assert snapshot["registered_by_name"] == "Eva Jansen"
    assert snapshot["registered_by_email"] == "eva@zuivel.example.nl"
    assert snapshot["registered_by"] != body["id"] and snapshot["registered_by"] == body["registered_by"]
    assert snapshot["group_mailbox"] == "csirt-meldingen@waterbedrijf.example.nl"
    assert snapshot["security_contact_email"] == "soc@waterbedrijf.example.nl"
    assert snapshot["member_states"] == ["NL", "BE"]
    assert snapshot["sectoral_csirt"] == "ncsc"
    assert snapshot["netcode"] is False and snapshot["netcode_impact"] is None
    assert snapshot["entitlements"] == body["entitlements"]["services"]
    assert {"incident_reporting.statutory", "advisories.sector.food",
            "advisories.audience.important"} <= set(snapshot["entitlements"])


async def test_netcode_entity_is_published_with_its_impact(registry):
    body = await registry.register(registry.form(
        sector="energy", subsector="energy.electricity", entity_type="energy.electricity.dso",
        netcode="critical_impact", legal_name="Netbeheer Zuid N.V."))
    [event] = await registry.event(body["id"], "nl.weerbaar.registry.entity.registered.v1")
    assert (event.data["netcode"], event.data["netcode_impact"]) == (True, "critical_impact")
    assert "netcode.advanced_controls" in event.data["entitlements"]


async def test_sector_catalogue_is_complete_and_bilingual(registry):
    resp = await registry.client.get("/sectors")
    assert resp.status_code == 200
    sectors = {s["code"]: s for s in resp.json()["sectors"]}
    assert len([s for s in sectors.values() if s["annex"] == "I"]) == 11
    assert len([s for s in sectors.values() if s["annex"] == "II"]) == 7
    energy = sectors["energy"]
    assert (energy["name_nl"], energy["name_en"]) == ("Energie", "Energy")
    assert "energy.electricity" in [s["code"] for s in energy["subsectors"]]


async def test_asyncapi_names_the_four_events(registry):
    document = (await registry.client.get("/asyncapi.json")).text
    for event_type in ("registry.entity.registered", "registry.entity.updated",
                       "registry.classification.changed", "registry.entity.deregistered"):
        assert f"nl.weerbaar.{event_type}.v1" in document
