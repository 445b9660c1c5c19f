"""The mails of the main scenario arrive, driven by the other services' events on real Kafka,
stored in real PostgreSQL and delivered to the real mail catcher: role given and usable,
incident received, deadline reminder, a new advisory for the sector, findings for network data."""
from datetime import timedelta
from uuid import uuid4

import pytest
from weerbaar_contracts.events.content import Audience, PublicationPublishedV1
from weerbaar_contracts.events.identity import PersonJoinedV1, RoleActivatedV1, RoleGrantedV1
from weerbaar_contracts.events.incidents import DeadlineApproachingV1, IncidentReportedV1
from weerbaar_contracts.events.netdata import FindingsReadyV1
from weerbaar_contracts.events.registry import EntityRegisteredV1
from weerbaar_platform.testing import eventually

from notify_support import fetch, notify_service, now, unique_address

pytestmark = pytest.mark.stack


def registered(org, name, sector, subsector, mailbox=None, classification="essential"):
    return EntityRegisteredV1(organisation_id=org, registration_version=1, legal_name=name, sector=sector,
                              subsector=subsector, classification=classification, group_mailbox=mailbox,
                              registered_by=uuid4(), registered_by_name="X", registered_by_email="x@example.nl")


async def test_main_scenario_mails_arrive(stack, kafka_namespace, signer, publish, mailbox):
    energy, water = uuid4(), uuid4()
    soc = unique_address("soc", "netbeheer.example")
    anna, bob, carol = uuid4(), uuid4(), uuid4()
    anna_at, bob_at, carol_at = unique_address("anna"), unique_address("bob"), unique_address("carol")
    incident = uuid4()

    async with notify_service(stack, kafka_namespace, signer) as notify:
        await publish(registered(energy, "Netbeheer Voorbeeld B.V.", "energy", "energy.electricity", soc))
        await publish(registered(water, "Waterbedrijf Voorbeeld N.V.", "drinking_water", None))
        await eventually(lambda: fetch(notify, "SELECT 1 FROM organisations HAVING count(*) = 2"))
        await publish(PersonJoinedV1(organisation_id=energy, person_id=anna, name="Anna de Vries", email=anna_at))
        await publish(PersonJoinedV1(organisation_id=energy, person_id=bob, name="Bob Smith", email=bob_at,
                                     language="en"))
        await publish(PersonJoinedV1(organisation_id=water, person_id=carol, name="Carol", email=carol_at))
        await publish(RoleGrantedV1(organisation_id=energy, person_id=anna, role="beheerder_netwerk",
                                    granted_by=None, usable_from=now() + timedelta(hours=1)))
        await publish(RoleActivatedV1(organisation_id=energy, person_id=anna, role="beheerder_netwerk"))
        await publish(RoleGrantedV1(organisation_id=energy, person_id=bob, role="gebruiker", granted_by=anna,
                                    usable_from=now() - timedelta(minutes=1)))

        # Role given, then usable: two mails to Anna, in Dutch.
        granted = await eventually(lambda: _subjects(mailbox, anna_at, "gekregen"))
        usable = await eventually(lambda: _subjects(mailbox, anna_at, "is nu te gebruiken"))
        assert "beheerder netwerkgegevens" in granted[0]["subject"] and "beheerder netwerkgegevens" in usable[0]["subject"]
        detail = await mailbox.read(usable[0]["id"])
        assert "Netbeheer Voorbeeld B.V." in detail["text"] and "<p>" in detail["html"]
        row = (await fetch(notify, "SELECT id, reference FROM messages WHERE recipient = $1 AND kind = 'role_activated'",
                           anna_at.lower()))[0]
        assert row["reference"] in detail["subject"] and row["reference"] in detail["text"]
        assert detail["headers"]["Message-ID"] == f"<{row['id']}@weerbaar.example>"

        # Incident received: the reporter and the group mailbox (bilingual).
        await publish(IncidentReportedV1(incident_id=incident, organisation_id=energy, reference="INC-2026-0042",
                                         title="Storing in SCADA", statutory=True, reported_by=anna))
        await eventually(lambda: _subjects(mailbox, anna_at, "Melding INC-2026-0042 ontvangen"))
        to_soc = await eventually(lambda: _subjects(mailbox, soc, "INC-2026-0042"))
        soc_detail = await mailbox.read(to_soc[0]["id"])
        assert "ontvangen" in soc_detail["text"] and "received" in soc_detail["text"]

        # Statutory deadline reminder: the gebruiker (in English, his language) and the mailbox.
        await publish(DeadlineApproachingV1(incident_id=incident, organisation_id=energy, reference="INC-2026-0042",
                                            stage="notification", deadline=now() + timedelta(hours=4)))
        reminder = await eventually(lambda: _subjects(mailbox, bob_at, "Reminder: incident notification"))
        assert "https://portaal.weerbaar.test/incidenten/" in (await mailbox.read(reminder[0]["id"]))["text"]
        await eventually(lambda: _subjects(mailbox, soc, "Herinnering"))

        # A new TLP:AMBER advisory for the energy sector: title and link, nothing else.
        publication = uuid4()
        await publish(PublicationPublishedV1(
            publication_id=publication, kind="advisory", title="Kwetsbaarheid in omvormers", tlp="AMBER",
            audience=Audience(sectors=["energy"]), tracking_id="NCSC-2026-SECRET-0007"))
        advisory = await eventually(lambda: _subjects(mailbox, anna_at, "Kwetsbaarheid in omvormers"))
        await eventually(lambda: _subjects(mailbox, bob_at, "Kwetsbaarheid in omvormers"))
        await eventually(lambda: _subjects(mailbox, soc, "Kwetsbaarheid in omvormers"))
        body = await mailbox.read(advisory[0]["id"])
        assert f"https://portaal.weerbaar.test/adviezen/{publication}" in body["text"]
        assert "SECRET" not in body["text"] + body["html"] and "TLP:AMBER" in body["subject"]

        # Findings for network data: to the beheerder netwerkgegevens (Anna) and the mailbox, not to Bob.
        await publish(FindingsReadyV1(organisation_id=energy, feed_run_id=uuid4(), feed_name="scan_log4shell",
                                      findings=2, rows=3))
        await eventually(lambda: _subjects(mailbox, anna_at, "2 bevindingen in uw netwerken"))
        await eventually(lambda: _subjects(mailbox, soc, "bevindingen"))

        # Every event handled (inbox), so what did not arrive was never meant to.
        await eventually(lambda: fetch(notify, "SELECT 1 FROM inbox HAVING count(*) = $1", publish.count))
        await eventually(lambda: fetch(notify, "SELECT 1 FROM messages HAVING bool_and(status = 'sent')"))
        assert await mailbox.to(carol_at) == []  # other sector: no advisory
        assert not await _subjects(mailbox, bob_at, "findings")
        for address in (anna_at, bob_at, soc):  # one mail per event and recipient
            subjects = [m["subject"] for m in await mailbox.to(address)]
            assert len(subjects) == len(set(subjects)), subjects


async def _subjects(mailbox, address, fragment):
    return [m for m in await mailbox.to(address) if fragment.lower() in m["subject"].lower()]
