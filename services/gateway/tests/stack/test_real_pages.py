"""The portal's pages in front of the REAL services (in-process, real PostgreSQL and Kafka):
each page reads the service's real answer shape and each form sends what the service takes.
Identity stays a stand-in (the login protocol is tested in test_protection.py)."""
from __future__ import annotations

import html
import re
import uuid
from pathlib import Path

import pytest
from gateway_testkit import person, portal_with_real

pytestmark = pytest.mark.stack
DATA = Path(__file__).resolve().parents[5] / "shared/data"


def form_post(client, path: str, csrf: str, **fields):
    return client.post(path, data={"csrf_token": csrf, **fields})


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


# ------------------------------------------------------------------ notify: preferences


async def test_preferences_page_shows_mandatory_categories_fixed_and_changes_the_others(
        stack, kafka_namespace, signer):
    async with portal_with_real(stack, kafka_namespace, signer, "notify") as portal:
        org = uuid.uuid4()
        await portal.login(person("Noor", org=org))
        csrf = await portal.csrf()

        page = await portal.client.get("/voorkeuren")
        assert page.status_code == 200, page.text
        assert "Wijzigingen in uw rollen" in page.text and "verplicht" in page.text
        assert 'name="categories_roles"' not in page.text, "a mandatory category has no input"
        assert "omdat de wet of het CSIRT dat vraagt" in page.text
        assert 'id="categories_advisories_digest"' in page.text

        saved = await form_post(portal.client, "/voorkeuren", csrf, categories_advisories="digest",
                                categories_findings="off")
        assert saved.status_code == 303 and saved.headers["location"] == "/voorkeuren?ok=1", saved.text
        stored = (await portal.client.get(f"/api/organisations/{org}/preferences")).json()
        chosen = {c["category"]: c["delivery"] for c in stored["categories"]}
        assert chosen["advisories"] == "digest" and chosen["findings"] == "off" and chosen["roles"] == "immediately"
        again = (await portal.client.get("/voorkeuren")).text
        assert re.search(r'id="categories_advisories_digest"[^>]*checked', again)
        assert re.search(r'id="categories_findings_off"[^>]*checked', again)

        forged = await form_post(portal.client, "/voorkeuren", csrf, categories_roles="off")
        assert forged.status_code == 422
        assert 'href="#categories_roles"' in forged.text and 'id="categories_roles"' in forged.text
        assert "is verplicht" in forged.text


# ------------------------------------------------------------------ registry: register, change, history


REGISTRATION = {
    "sector": "drinking_water", "legal_name": "Waterbedrijf Voorbeeld N.V.", "kvk_number": "12345678",
    "rsin": "111222333", "street": "Bezuidenhoutseweg", "house_number": "12", "postal_code": "2594 AV",
    "city": "Den Haag", "email": "info@waterbedrijf.example.nl", "phone": "070 123 4567",
    "security_email": "soc@waterbedrijf.example.nl", "security_phone": "+31 6 1234 5678",
    "official_name": "J. de Vries", "official_email": "j.devries@waterbedrijf.example.nl",
    "official_phone": "+31 70 765 4321", "employees": "900", "annual_turnover_eur": "300000000",
    "balance_sheet_total_eur": "1200000000",
}


async def test_registration_edit_uses_the_etag_and_a_stale_one_says_reload_and_history_lists_versions(
        stack, kafka_namespace, signer):
    async with portal_with_real(stack, kafka_namespace, signer, "registry") as portal:
        await portal.login(person("Rik", org=None, roles=("gebruiker", "beheerder_personen")))
        csrf = await portal.csrf()
        incomplete = await form_post(portal.client, "/registratie", csrf,
                                     **{**REGISTRATION, "security_phone": ""})
        assert incomplete.status_code == 422, incomplete.text
        assert 'href="#security_phone"' in incomplete.text, "the registry's nested field is linked to its input"

        registered = await form_post(portal.client, "/registratie", csrf, **REGISTRATION)
        assert registered.status_code == 303, registered.text
        session = (await portal.client.get("/api/session")).json()
        org = session["acting_organisation_id"]
        assert org, "the gateway acts for the new organisation"
        overview = await portal.client.get("/registratie")
        assert "vitaal/essentieel" in overview.text and "/registratie/wijzigen" in overview.text
        assert "Drinkwater" in overview.text and "drinking_water" not in overview.text  # names, not codes

        edit = await portal.client.get("/registratie/wijzigen")
        assert edit.status_code == 200, edit.text
        etag = re.search(r'name="etag" value="([^"]*)"', edit.text).group(1)
        assert html.unescape(etag) == '"1"'
        form = {k: html.unescape(v) for k, v in re.findall(r'name="(\w+)" type="[a-z]+" value="([^"]*)"', edit.text)}
        assert form["city"] == "Den Haag" and form["security_phone"] and form["official_name"] == "J. de Vries", form

        changed = await form_post(portal.client, "/registratie/wijzigen", csrf,
                                  **{**form, "city": "Rotterdam", "etag": html.unescape(etag)})
        assert changed.status_code == 303, changed.text
        entry = (await portal.client.get(f"/api/organisations/{org}")).json()
        assert entry["version"] == 2 and entry["registration"]["visiting_address"]["city"] == "Rotterdam"
        assert entry["registration"]["member_states"] == ["NL"] and entry["registration"]["sector"] == "drinking_water"

        stale = await form_post(portal.client, "/registratie/wijzigen", csrf,
                                **{**form, "city": "Utrecht", "etag": html.unescape(etag)})
        assert stale.status_code == 409
        assert "Iemand anders heeft deze gegevens" in stale.text and 'href="/registratie/wijzigen"' in stale.text
        assert (await portal.client.get(f"/api/organisations/{org}")).json()["version"] == 2

        history = await portal.client.get("/registratie/geschiedenis")
        assert history.status_code == 200
        rows = re.findall(r'<tr class="utrecht-table__row"><td class="utrecht-table__cell">(\d+)</td>', history.text)
        assert rows == ["2", "1"]
        assert "visiting_address" in history.text


# ------------------------------------------------------------------ content: CSAF, TLP and audience, four eyes


async def test_publishing_pages_refuse_an_invalid_csaf_set_tlp_and_audience_and_need_a_second_editor(
        stack, kafka_namespace, signer):
    async with portal_with_real(stack, kafka_namespace, signer, "content", "registry") as portal:
        await portal.login(person("Eva", org=None, roles=("redacteur",)))
        csrf = await portal.csrf()
        invalid = DATA / "csaf/oasis_csaf_tc-csaf_2_0-2021-6-1-01-01.json"
        refused = await portal.client.post(f"/csirt/publiceren/csaf?csrf_token={csrf}",
                                           files={"file": (invalid.name, invalid.read_bytes(), "application/json")})
        assert refused.status_code == 422, refused.text
        assert "6.1.1" in refused.text and re.search(r"<code>/(product_tree|vulnerabilities)/", refused.text)
        listed = await portal.client.get("/csirt/publiceren/csaf")
        assert invalid.name in listed.text and "6.1.1" in listed.text

        valid = DATA / "csaf/bsi-2022-0001.json"
        accepted = await portal.client.post(f"/csirt/publiceren/csaf?csrf_token={csrf}",
                                            files={"file": (valid.name, valid.read_bytes(), "application/json")})
        assert accepted.status_code == 303, accepted.text
        page_url = accepted.headers["location"].split("?")[0]
        publication_id = page_url.rsplit("/", 1)[1]
        page = await portal.client.get(page_url)
        assert page.status_code == 200, page.text
        assert 'id="sector_drinking_water"' in page.text and 'id="subsector_energy.electricity"' in page.text

        wrong = await form_post(portal.client, f"{page_url}/bewerken", csrf, tlp="AMBER",
                                sector_drinking_water="on", organisation_ids="not-an-id")
        assert wrong.status_code == 422 and 'href="#organisation_ids"' in wrong.text
        named = str(uuid.uuid4())
        edited = await form_post(portal.client, f"{page_url}/bewerken", csrf, tlp="AMBER", class_essential="on",
                                 sector_drinking_water="on", organisation_ids=named)
        assert edited.status_code == 303, edited.text
        item = (await portal.client.get(f"/api/publications/{publication_id}")).json()
        assert item["tlp"] == "AMBER"
        assert item["audience"]["sectors"] == ["drinking_water"]
        assert item["audience"]["classifications"] == ["essential"]
        assert item["audience"]["organisation_ids"] == [named]
        shown = (await portal.client.get(page_url)).text
        assert re.search(r'id="sector_drinking_water"[^>]*checked', shown)

        assert (await form_post(portal.client, f"{page_url}/submit", csrf)).status_code == 303
        own = await form_post(portal.client, f"{page_url}/approve", csrf)
        assert own.status_code == 403 and "foutoverzicht" in own.text, "the author cannot approve"
        no_note = await form_post(portal.client, f"{page_url}/reject", csrf, note="")
        assert no_note.status_code == 422 and 'href="#note"' in no_note.text

        second = portal.new_client()
        await portal.login(person("Bas", org=None, roles=("redacteur",)), client=second)
        approved = await form_post(second, f"{page_url}/approve", await portal.csrf(second))
        assert approved.status_code == 303, approved.text
        assert (await second.get(f"/api/publications/{publication_id}")).json()["state"] == "published"
        revised = await second.post(f"/api/csirt/publications/{publication_id}/revise",
                                    headers={"X-CSRF-Token": await portal.csrf(second)})
        assert revised.status_code == 201 and revised.json()["revision"] == 2, revised.text


# ------------------------------------------------------------------ incidents: triage, domain proof, feeds


EARLY_WARNING = {"suspected_malicious": "ja", "cross_border_impact": "onbekend", "summary": "Storing zuivering",
                 "contact": {"name": "Wim", "email": "soc@drinkwater.example", "phone": "+31 70 000 0000"}}
NOTIFICATION = {"initial_assessment": "Besturing van de zuivering uitgevallen.", "severity": "high",
                "impact": "Zuivering een dag handmatig bediend."}


class PublishedTxt:
    """Stands in for DNS: the records 'published' by the test."""

    def __init__(self):
        self.records: dict[str, list[str]] = {}

    async def txt(self, name: str):
        return self.records.get(name.rstrip(".").lower())


async def test_triage_domain_proof_and_feed_pages_on_the_real_incidents_service(stack, kafka_namespace, signer):
    from incidents.adapters.netdata_dns import EXTRAS_KEY

    async with portal_with_real(stack, kafka_namespace, signer, "incidents") as portal:
        dns = PublishedTxt()
        portal.services["incidents"].state.runtime.extras[EXTRAS_KEY] = dns
        org = uuid.uuid4()
        member = portal.new_client()
        await portal.login(person("Wim", org=org), client=member)
        member_csrf = await portal.csrf(member)
        opened = await member.post(f"/api/organisations/{org}/incidents", headers={"X-CSRF-Token": member_csrf},
                                   json={"title": "Storing zuivering", "became_aware_at": "2025-03-14T09:30:00+01:00"})
        assert opened.status_code == 201, opened.text
        incident_id = opened.json()["id"]
        for stage, data in (("early_warning", EARLY_WARNING), ("notification", NOTIFICATION)):
            sent = await member.post(f"/api/organisations/{org}/incidents/{incident_id}/stages/{stage}",
                                     headers={"X-CSRF-Token": member_csrf}, json={"data": data})
            assert sent.status_code == 201, sent.text
        uploaded = await member.post(f"/api/organisations/{org}/netdata/uploads",
                                     headers={"X-CSRF-Token": member_csrf, "Content-Type": "text/plain"},
                                     content=b"198.51.100.0/24\nwaterbedrijf-voorbeeld.nl\n")
        assert uploaded.status_code == 200 and uploaded.json()["applied"], uploaded.text

        # the organisation proves its domain: the page shows the TXT record, the check reads it
        netdata = await member.get("/netwerkgegevens")
        assert "Eigendom bewijzen" in netdata.text and "nog niet bewezen" in netdata.text
        proof = await form_post(member, "/netwerkgegevens/domeinbewijs", member_csrf, value="waterbedrijf-voorbeeld.nl")
        assert proof.status_code == 200, proof.text
        name = html.unescape(re.search(r'id="record-name">([^<]+)<', proof.text).group(1))
        value = html.unescape(re.search(r'id="record-value">([^<]+)<', proof.text).group(1))
        assert name.startswith("_weerbaar-challenge.") and value
        not_yet = await form_post(member, "/netwerkgegevens/domeinbewijs/controleren", member_csrf,
                                  value="waterbedrijf-voorbeeld.nl")
        assert not_yet.status_code == 422 and "foutoverzicht" in not_yet.text and value in html.unescape(not_yet.text)
        dns.records[name.lower()] = [value]
        proven = await form_post(member, "/netwerkgegevens/domeinbewijs/controleren", member_csrf,
                                 value="waterbedrijf-voorbeeld.nl")
        assert proven.status_code == 303, proven.text
        assert "is bewezen" in (await member.get(proven.headers["location"])).text

        # an analyst triages the incident
        analyst = person("Ans", org=None, roles=("analist",))
        await portal.login(analyst)
        csrf = await portal.csrf()
        listing = await portal.client.get("/csirt/triage")
        assert f'href="/csirt/triage/{incident_id}"' in listing.text
        bad = await form_post(portal.client, f"/csirt/triage/{incident_id}/beoordelen", csrf, status="triaged",
                              severity="high", assignee="nobody")
        assert bad.status_code == 422 and 'href="#assignee"' in bad.text
        done = await form_post(portal.client, f"/csirt/triage/{incident_id}/beoordelen", csrf, status="triaged",
                               severity="high", assignee=analyst["id"])
        assert done.status_code == 303, done.text
        assert (await form_post(portal.client, f"/csirt/triage/{incident_id}/notitie", csrf,
                                text="Gebeld met de organisatie.")).status_code == 303
        asked = await form_post(portal.client, f"/csirt/triage/{incident_id}/tussentijds", csrf, due="2099-01-02T10:00")
        assert asked.status_code == 303, asked.text
        detail = await portal.client.get(f"/csirt/triage/{incident_id}")
        assert re.search(r'<option value="triaged" selected', detail.text)
        assert re.search(r'<option value="high" selected', detail.text)
        assert "Gebeld met de organisatie." in detail.text and "gevraagd" in detail.text
        assert analyst["id"] in detail.text

        # and runs a feed: per-organisation counts and the unmatched rows
        feed = DATA / "feeds/scan_log4shell_vulnerable.csv"
        ran = await portal.client.post(f"/csirt/feeds/upload?csrf_token={csrf}",
                                       files={"file": (feed.name, feed.read_bytes(), "text/csv")})
        assert ran.status_code == 303, ran.text
        run_page = await portal.client.get(ran.headers["location"])
        assert run_page.status_code == 200, run_page.text
        assert str(org) in run_page.text and 'id="rows-unmatched"' in run_page.text
        runs = await portal.client.get("/csirt/feeds")
        assert feed.name in runs.text


@pytest.mark.parametrize("lag, acts_at_once", [(3, True), (10_000, False)],
                         ids=["membership arrives within seconds", "membership arrives later"])
async def test_a_registration_through_the_form_waits_for_the_membership_instead_of_failing(
        stack, kafka_namespace, signer, lag, acts_at_once):
    """identity learns of a new organisation from the registry's event, a moment after the
    registry answered: the form must not fail in between (it once answered 500)."""
    async with portal_with_real(stack, kafka_namespace, signer, "registry") as portal:
        await portal.login(person("Rik", org=None, roles=("gebruiker",)))
        csrf = await portal.csrf()
        start = await portal.client.get("/registratie", params={"sector": "drinking_water"})
        assert 'name="kvk_number" type="text" value="12345678"' in start.text  # what the login attests
        portal.world.membership_lag = lag
        registered = await form_post(portal.client, "/registratie", csrf,
                                     **{**REGISTRATION, "kvk_number": "12345678"})
        assert registered.status_code == 303, registered.text
        session = (await portal.client.get("/api/session")).json()
        if acts_at_once:
            assert registered.headers["location"] == "/registratie?geregistreerd=1"
            assert session["acting_organisation_id"]
        else:
            assert "organisatie=" in registered.headers["location"]
            assert session["acting_organisation_id"] is None
            page = await portal.client.get(registered.headers["location"])
            assert page.status_code == 200, page.text
            assert "Uw registratie is ontvangen" in page.text
            portal.world.membership_lag = 0  # the event has arrived: the next visit acts for it
            again = await portal.client.get(registered.headers["location"])
            assert again.status_code == 200 and "Uw registratie is ontvangen" not in again.text
            assert (await portal.client.get("/api/session")).json()["acting_organisation_id"]


async def test_a_sector_with_subsectors_offers_the_entity_types_of_each_and_registers(stack, kafka_namespace, signer):
    """Found by breaking it: energy and transport showed no entity types, so their organisations
    could not register through the pages."""
    async with portal_with_real(stack, kafka_namespace, signer, "registry") as portal:
        await portal.login(person("Fatima", org=None, roles=("gebruiker",), kvk="87654321"))
        csrf = await portal.csrf()
        page = await portal.client.get("/registratie", params={"sector": "energy"})
        assert page.status_code == 200 and 'name="entity_type"' in page.text and "<optgroup" in page.text
        chosen = re.search(r'<option value="(energy\.electricity\.[^"]+)"', page.text)
        assert chosen, "an electricity entity type is offered"
        registered = await form_post(portal.client, "/registratie", csrf, **{
            **REGISTRATION, "kvk_number": "87654321", "sector": "energy", "subsector": "energy.electricity",
            "entity_type": chosen.group(1), "legal_name": "Netbeheer Voorbeeld B.V."})
        assert registered.status_code == 303, registered.text
