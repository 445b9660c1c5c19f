"""Across services: a person logs in through the real stand-in IdP (eHerkenning), registers
their organisation at the registry with identity's token, becomes its first people admin
through the registry's event on the real Kafka, and the registry accepts the new token."""
import sys
from pathlib import Path

import pytest
from weerbaar_platform.testing import eventually, running_service

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "services/identity/tests/stack"))
from identity_support import auth, identity_service, log_in, refresh  # noqa: E402

pytestmark = pytest.mark.stack

REGISTRATION = {
    "sector": "drinking_water", "kvk_number": "12345678", "rsin": "111222333",
    "legal_name": "Waterbedrijf Voorbeeld N.V.",
    "visiting_address": {"street": "Bezuidenhoutseweg", "house_number": "12", "postal_code": "2594 AV",
                         "city": "Den Haag", "country": "NL"},
    "email": "info@waterbedrijf.example.nl", "phone": "070 123 4567",
    "security_contact": {"phone_24x7": "+31 6 1234 5678", "email": "soc@waterbedrijf.example.nl"},
    "incident_official": {"name": "J. de Vries", "email": "j.devries@waterbedrijf.example.nl",
                          "phone": "+31 70 765 4321"},
    "member_states": ["NL"],
    "size": {"employees": 900, "annual_turnover_eur": "300000000", "balance_sheet_total_eur": "1200000000"},
}


class TrustIdentity:
    """Stands where the test signer would: the registry trusts identity's published keys."""

    def __init__(self, identity):
        self.identity = identity

    def jwks(self) -> dict:
        return self.identity.app.state.runtime.extras["identity"].keyring.jwks()


async def test_identity_token_is_accepted_by_the_registry(stack, kafka_namespace, signer):
    from registry.app import create_app as create_registry
    from registry.settings import RegistrySettings

    async with identity_service(stack, kafka_namespace, signer) as identity, \
            running_service(create_registry, RegistrySettings, stack, kafka_namespace, TrustIdentity(identity),
                            label="registry") as registry:
        anna = await log_in(identity, "eherkenning", "drinkwater-beheerder")
        registered = await registry.post("/organisations", json=REGISTRATION, headers=auth(anna.tokens))
        assert registered.status_code == 201, registered.text
        org = registered.json()["id"]

        state = {"refresh": anna.tokens["refresh_token"]}

        async def admin_of_org():
            body = (await refresh(identity, state["refresh"])).json()
            state["refresh"] = body["refresh_token"]
            return body if body["acting_organisation_id"] == org else None
        tokens = await eventually(admin_of_org, timeout=30, every=0.3)
        assert tokens["organisations"][0]["roles"] == ["beheerder_personen", "gebruiker"]

        read = await registry.get(f"/organisations/{org}", headers=auth(tokens))
        assert read.status_code == 200, read.text

        stranger = await log_in(identity, "eherkenning", "energie-loa4")
        assert (await registry.get(f"/organisations/{org}", headers=auth(stranger.tokens))).status_code in (403, 404)
        assert (await registry.get(f"/organisations/{org}",
                                   headers={"Authorization": "Bearer " + tokens["access_token"][:-4] + "AAAA"})
                ).status_code == 401


MINISTRY = REGISTRATION | {
    "sector": "public_administration", "entity_type": "public_administration.central_government",
    "kvk_number": None, "rsin": None, "size": None, "oin": "00000001003214345000",
    "legal_name": "Ministerie van Voorbeeldzaken"}


async def test_a_login_registers_the_organisation_it_speaks_for_and_no_other(stack, kafka_namespace, signer):
    """SSOnRijk attests an OIN and eHerkenning a KvK number; the registry takes a registration
    only for that organisation, so nobody becomes people admin of a company by typing its number."""
    from registry.app import create_app as create_registry
    from registry.settings import RegistrySettings

    async with identity_service(stack, kafka_namespace, signer) as identity, \
            running_service(create_registry, RegistrySettings, stack, kafka_namespace, TrustIdentity(identity),
                            label="registry") as registry:
        fatima = await log_in(identity, "eherkenning", "energie-loa4")  # her login says KvK 87654321
        refused = await registry.post("/organisations", json=REGISTRATION, headers=auth(fatima.tokens))
        assert refused.status_code == 403, refused.text
        assert refused.json()["errors"][0]["field"] == "kvk_number"
        assert "87654321" in refused.json()["errors"][0]["message_nl"]

        dewi = await log_in(identity, "ssonrijk", "ministerie-medewerker")
        registered = await registry.post("/organisations", json=MINISTRY, headers=auth(dewi.tokens))
        assert registered.status_code == 201, registered.text
        assert registered.json()["classification"]["final"] == "essential"
        org = registered.json()["id"]

        state = {"refresh": dewi.tokens["refresh_token"]}

        async def admin_of_org():
            body = (await refresh(identity, state["refresh"])).json()
            state["refresh"] = body["refresh_token"]
            return body if body["acting_organisation_id"] == org else None
        tokens = await eventually(admin_of_org, timeout=30, every=0.3)
        assert "beheerder_personen" in tokens["organisations"][0]["roles"]
        assert (await registry.get(f"/organisations/{org}", headers=auth(tokens))).status_code == 200
