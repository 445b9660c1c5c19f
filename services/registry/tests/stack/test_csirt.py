"""The CSIRT's side: search with filters and paging, exports (CSV, JSON, the EU report form),
the analyst's override with a written reason, and staff-only access."""
import csv
import io
import json
import uuid

import pytest

pytestmark = pytest.mark.stack

SMALL = {"employees": 30, "annual_turnover_eur": 4_000_000, "balance_sheet_total_eur": 2_000_000}
MEDIUM = {"employees": 120, "annual_turnover_eur": 30_000_000, "balance_sheet_total_eur": 20_000_000}


@pytest.fixture(scope="module")
async def register(registry):
    """A small register of its own: names carry a marker so searches see only these."""
    marker = uuid.uuid4().hex[:6]
    specs = {
        "water": dict(legal_name=f"Water {marker} N.V."),
        "food": dict(sector="food", size=MEDIUM, legal_name=f"Voedsel {marker} B.V."),
        "shop": dict(sector="other", size=SMALL, legal_name=f"Winkel {marker} B.V."),
        "grid": dict(sector="energy", subsector="energy.electricity",
                     entity_type="energy.electricity.dso", netcode="high_impact",
                     legal_name=f"Net {marker} N.V."),
        "dns": dict(sector="digital_infrastructure",
                    entity_type="digital_infrastructure.dns_service_provider",
                    size={"employees": 4, "annual_turnover_eur": 1, "balance_sheet_total_eur": 1},
                    legal_name=f"DNS {marker} B.V."),
    }
    orgs = {key: await registry.register(registry.form(**spec)) for key, spec in specs.items()}
    return marker, orgs


async def search(registry, **params):
    resp = await registry.client.get("/csirt/organisations", params=params,
                                     headers=registry.analyst())
    assert resp.status_code == 200, resp.text
    return resp.json()


async def test_search_filters_and_pages(registry, register):
    marker, orgs = register
    everything = await search(registry, name=marker)
    assert everything["total"] == 5
    assert [o["legal_name"].split()[0] for o in everything["items"]] == [
        "DNS", "Net", "Voedsel", "Water", "Winkel"]
    essential = await search(registry, name=marker, classification="essential")
    assert {o["id"] for o in essential["items"]} == {orgs[k]["id"] for k in ("water", "grid", "dns")}
    assert (await search(registry, name=marker, sector="food"))["items"][0]["id"] == orgs["food"]["id"]
    assert [o["id"] for o in (await search(registry, subsector="energy.electricity",
                                            name=marker))["items"]] == [orgs["grid"]["id"]]
    assert [o["id"] for o in (await search(registry, netcode="true", name=marker))["items"]] == [
        orgs["grid"]["id"]]
    assert (await search(registry, netcode="false", name=marker))["total"] == 4
    kvk = orgs["shop"]["registration"]["kvk_number"]
    assert [o["id"] for o in (await search(registry, kvk=kvk))["items"]] == [orgs["shop"]["id"]]
    assert (await search(registry, name=marker, status="deregistered"))["total"] == 0
    # a name is a phrase, not a pattern
    assert (await search(registry, name="%"))["total"] == 0

    page1 = await search(registry, name=marker, page_size=2, page=1)
    page3 = await search(registry, name=marker, page_size=2, page=3)
    assert (page1["total"], len(page1["items"]), len(page3["items"])) == (5, 2, 1)
    assert page3["items"][0]["legal_name"].startswith("Winkel")


async def test_export_csv_and_json(registry, register):
    marker, orgs = register
    headers = registry.analyst()
    resp = await registry.client.get("/csirt/organisations/export",
                                     params={"format": "csv", "name": marker}, headers=headers)
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(resp.text.removeprefix("\ufeff"))))
    assert len(rows) == 5
    grid = next(r for r in rows if r["id"] == orgs["grid"]["id"])
    assert (grid["classification"], grid["netcode"], grid["security_contact_email"]) == (
        "essential", "high_impact", "soc@waterbedrijf.example.nl")
    assert grid["security_contact_phone_24x7"] == "+31612345678"  # a phone number stays a number

    resp = await registry.client.get("/csirt/organisations/export",
                                     params={"format": "json", "name": marker, "sector": "food"},
                                     headers=headers)
    body = json.loads(resp.content)
    assert body["count"] == 1 and body["organisations"][0]["classification"] == "important"


async def test_csv_cells_never_run_as_formulas(registry):
    body = await registry.register(registry.form(legal_name="=HYPERLINK(\"http://x\") B.V."))
    resp = await registry.client.get("/csirt/organisations/export",
                                     params={"format": "csv", "kvk": body["registration"]["kvk_number"]},
                                     headers=registry.analyst())
    [row] = list(csv.DictReader(io.StringIO(resp.text.removeprefix("\ufeff"))))
    assert row["legal_name"].startswith("'=")


async def test_eu_report_has_the_entities_in_scope_without_ip_ranges(registry, register):
    marker, orgs = register
    resp = await registry.client.get("/csirt/organisations/eu-report", headers=registry.analyst())
    assert resp.status_code == 200
    body = json.loads(resp.content)
    mine = {e["legal_name"]: e for e in body["entities"] if marker in e["legal_name"]}
    assert set(mine) == {orgs[k]["registration"]["legal_name"]
                         for k in ("water", "food", "grid", "dns")}  # not the shop
    dns = mine[orgs["dns"]["registration"]["legal_name"]]
    assert dns["article_27"] is True and dns["entity_type"].endswith("dns_service_provider")
    assert dns["member_states"] == ["NL", "BE"] and dns["email"] and dns["phone"]
    assert dns["sector_name_en"] == "Digital infrastructure" and dns["annex"] == "I"
    assert dns["address"].startswith("Bezuidenhoutseweg 12")
    text = resp.text.lower()
    assert "ip_range" not in text and "network" not in " ".join(dns)
    assert any(c["sector"] == "food" and c["important"] >= 1 for c in body["counts_per_sector"])

    csv_resp = await registry.client.get("/csirt/organisations/eu-report", params={"format": "csv"},
                                         headers=registry.analyst())
    header = csv_resp.text.removeprefix("\ufeff").splitlines()[0].split(",")
    assert "legal_name" in header and "member_states" in header
    assert not any("ip" in h.split("_") for h in header)


async def test_analyst_override_keeps_derived_and_final(registry, register):
    _, orgs = register
    shop = orgs["shop"]["id"]
    path = f"/csirt/organisations/{shop}/classification"
    no_reason = await registry.client.post(path, json={"final": "important", "reason": "  "},
                                           headers=registry.analyst())
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["code"] == "override_reason_required"

    analyst_id = uuid.uuid4()
    resp = await registry.client.post(
        path, json={"final": "important", "reason": "Enige leverancier van betaalautomaten in NL"},
        headers=registry.person(None, ["analist"], person_id=analyst_id, name="A. Nalist"))
    assert resp.status_code == 200, resp.text
    classification = resp.json()["classification"]
    assert (classification["derived"], classification["final"]) == ("not_in_scope", "important")
    assert classification["override_reason"].startswith("Enige leverancier")
    assert classification["overridden_by"] == str(analyst_id)
    assert "incident_reporting.statutory" in resp.json()["entitlements"]["services"]

    [changed] = await registry.event(shop, "nl.weerbaar.registry.classification.changed.v1")
    assert (changed.data["derived"], changed.data["final"], changed.data["previous"]) == (
        "not_in_scope", "important", "not_in_scope")
    assert changed.data["overridden_by"] == str(analyst_id)
    assert changed.data["reason"].startswith("Enige leverancier")
    [updated] = await registry.event(shop, "nl.weerbaar.registry.entity.updated.v1")
    assert updated.data["classification"] == "important"

    history = await registry.client.get(f"/organisations/{shop}/history", headers=registry.analyst())
    latest = history.json()["versions"][0]
    assert (latest["change"], latest["changed_by_name"]) == ("classification_overridden", "A. Nalist")

    # the override survives an update by the organisation: the derived value is recomputed
    admin = registry.admin_of(uuid.UUID(shop))
    entry = await registry.client.get(f"/organisations/{shop}", headers=admin)
    update = await registry.client.put(
        f"/organisations/{shop}", json={**entry.json()["registration"], "phone": "0201234567"},
        headers={**admin, "If-Match": entry.headers["ETag"]})
    assert update.json()["classification"]["final"] == "important"

    lifted = await registry.client.post(f"{path}/lift-override",
                                        json={"reason": "Andere leverancier gevonden"},
                                        headers=registry.analyst())
    assert lifted.json()["classification"]["final"] == "not_in_scope"
    assert lifted.json()["classification"]["overridden"] is False


async def test_only_register_staff_may_search_export_or_override(registry, register):
    _, orgs = register
    org = uuid.UUID(orgs["water"]["id"])
    for headers in (registry.admin_of(org), registry.person(None, ["redacteur"]),
                    registry.person(None, [])):
        for path in ("/csirt/organisations", "/csirt/organisations/export",
                     "/csirt/organisations/eu-report"):
            resp = await registry.client.get(path, headers=headers)
            assert resp.status_code == 403, path
        resp = await registry.client.post(f"/csirt/organisations/{org}/classification",
                                          json={"final": "important", "reason": "Zomaar omdat het kan"},
                                          headers=headers)
        assert resp.status_code == 403
    csirt_beheerder = registry.person(None, ["csirt_beheerder"])
    assert (await registry.client.get("/csirt/organisations", headers=csirt_beheerder)).status_code == 200
