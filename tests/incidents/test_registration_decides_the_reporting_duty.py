"""Registry and incidents together, through real Kafka: an essential drinking-water company
registered in the registry gets statutory deadlines when it opens an incident; a small retailer
outside NIS2 reports voluntarily, without deadlines."""
import random
import uuid
from datetime import UTC, datetime

import pytest
from weerbaar_platform.testing import bearer, eventually, running_service

from incidents.app import create_app as create_incidents
from incidents.domain.clock import ManualClock
from incidents.settings import IncidentsSettings
from registry.app import create_app as create_registry
from registry.settings import RegistrySettings

pytestmark = pytest.mark.stack

M = 1_000_000
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
RETAILER = REGISTRATION | {
    "sector": "other", "legal_name": "Winkel B.V.",
    "size": {"employees": 30, "annual_turnover_eur": str(4 * M), "balance_sheet_total_eur": str(2 * M)}}


async def test_the_registry_classification_decides_whether_deadlines_apply(stack, kafka_namespace, signer, tmp_path):
    clock = ManualClock(datetime.now(UTC))
    async with running_service(create_registry, RegistrySettings, stack, kafka_namespace, signer,
                               label="registry") as registry, \
            running_service(lambda s: create_incidents(s, clock=clock), IncidentsSettings, stack, kafka_namespace,
                            signer, label="incidents", attachment_dir=str(tmp_path)) as incidents:
        outcomes = {}
        for form in (REGISTRATION, RETAILER):
            registrant = uuid.uuid4()
            kvk = str(random.randint(10_000_000, 99_999_999))
            person = bearer(signer, person_id=registrant, roles=[], name="Jan de Vries", email="jan@example.nl",
                            kvk=kvk)
            created = await registry.post("/organisations", headers=person, json=form | {"kvk_number": kvk})
            assert created.status_code == 201, created.text
            organisation = created.json()["id"]
            classification = created.json()["classification"]["final"]

            async def known(organisation=organisation):
                async with incidents.app.state.runtime.pool.acquire() as conn:
                    return await conn.fetchrow("SELECT * FROM organisations WHERE id = $1", uuid.UUID(organisation))

            row = await eventually(known, timeout=60)
            assert row["name"] == form["legal_name"] and row["classification"] == classification

            member = bearer(signer, person_id=registrant, organisation_id=organisation,
                            roles=["gebruiker", "beheerder_personen"])
            opened = await incidents.post("/incidents", headers=member, json={
                "title": "Storing", "became_aware_at": clock.now().isoformat()})
            assert opened.status_code == 201, opened.text
            outcomes[classification] = (opened.json()["statutory"], [d["kind"] for d in opened.json()["deadlines"]])

        assert outcomes == {"essential": (True, ["early_warning", "notification"]),
                            "not_in_scope": (False, [])}
