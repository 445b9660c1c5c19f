"""Registry and content together, through real Kafka: an organisation registered in the
drinking-water sector sees a TLP:AMBER advisory for that sector; once its registration moves
to another sector, the advisory is "not found" for it."""
import json
import pathlib
import random
import uuid

import pytest
from weerbaar_platform.testing import bearer, eventually, running_service, shared_data

from content.app import create_app as create_content
from content.settings import ContentSettings
from registry.app import create_app as create_registry
from registry.settings import RegistrySettings

pytestmark = pytest.mark.stack

CSAF_DATA = shared_data("csaf")

REGISTRATION = {
    "sector": "drinking_water", "rsin": "111222333", "legal_name": "Waterbedrijf Voorbeeld N.V.",
    "visiting_address": {"street": "Bezuidenhoutseweg", "house_number": "12", "postal_code": "2594 AV",
                         "city": "Den Haag", "country": "NL"},
    "email": "info@waterbedrijf.example.nl", "phone": "070 123 4567",
    "security_contact": {"phone_24x7": "+31 6 1234 5678", "email": "soc@waterbedrijf.example.nl"},
    "incident_official": {"name": "J. de Vries", "email": "j.devries@waterbedrijf.example.nl",
                          "phone": "+31 70 765 4321"},
    "group_mailbox": "csirt-meldingen@waterbedrijf.example.nl", "member_states": ["NL"],
    "size": {"employees": 900, "annual_turnover_eur": "300000000", "balance_sheet_total_eur": "1200000000"},
}


async def test_a_change_of_sector_in_the_registry_changes_what_the_organisation_sees(stack, kafka_namespace, signer):
    registrant = uuid.uuid4()
    async with running_service(create_registry, RegistrySettings, stack, kafka_namespace, signer,
                               label="registry") as registry, \
            running_service(create_content, ContentSettings, stack, kafka_namespace, signer,
                            label="content") as content:
        registration = REGISTRATION | {"kvk_number": str(random.randint(10_000_000, 99_999_999))}
        person = bearer(signer, person_id=registrant, roles=[], name="Jan de Vries", email="jan@example.nl",
                        kvk=registration["kvk_number"])
        created = await registry.post("/organisations", headers=person, json=registration)
        assert created.status_code == 201, created.text
        organisation = created.json()["id"]

        document = json.loads((CSAF_DATA / "bsi-2022-0001.json").read_text("utf-8-sig"))
        document["document"]["distribution"]["tlp"]["label"] = "AMBER"
        author, approver = (bearer(signer, person_id=uuid.uuid4(), roles=["redacteur"]) for _ in range(2))
        advisory = (await content.post("/advisories", headers=author | {"Content-Type": "application/json"},
                                       content=json.dumps(document).encode())).json()
        await content.patch(f"/publications/{advisory['id']}", headers=author,
                            json={"audience": {"sectors": ["drinking_water"]}})
        await content.post(f"/publications/{advisory['id']}/submit", headers=author)
        assert (await content.post(f"/publications/{advisory['id']}/approve", headers=approver)).status_code == 200

        reader = bearer(signer, person_id=registrant, organisation_id=organisation,
                        roles=["gebruiker", "beheerder_personen"], name="Jan de Vries", email="jan@example.nl")

        async def status():
            return (await content.get(f"/publications/{advisory['id']}", headers=reader)).status_code
        await eventually(lambda: _is(status, 200), timeout=30)

        current = await registry.get(f"/organisations/{organisation}", headers=reader)
        moved = await registry.put(f"/organisations/{organisation}", json=registration | {"sector": "waste_water"},
                                   headers=reader | {"If-Match": current.headers["ETag"]})
        assert moved.status_code == 200, moved.text
        await eventually(lambda: _is(status, 404), timeout=30)


async def _is(fetch, expected):
    return await fetch() == expected
