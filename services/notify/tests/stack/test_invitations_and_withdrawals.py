"""Invitations and withdrawals, driven by identity's and content's events on real Kafka and
checked in the real mail catcher: one mail per invitation, and a withdrawal notice to exactly
those who had a mail about the publication, confidential ones with title and link only."""
from datetime import timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from weerbaar_contracts.events.content import Audience, PublicationPublishedV1, PublicationWithdrawnV1
from weerbaar_contracts.events.identity import InvitationCreatedV1, PersonJoinedV1
from weerbaar_contracts.events.registry import EntityRegisteredV1
from weerbaar_platform.testing import eventually

from notify_support import fetch, notify_service, now, unique_address

pytestmark = pytest.mark.stack


def _registered(org, name, sector, mailbox=None):
    return EntityRegisteredV1(organisation_id=org, registration_version=1, legal_name=name, sector=sector,
                              subsector=None, classification="essential", group_mailbox=mailbox,
                              registered_by=uuid4(), registered_by_name="X", registered_by_email="x@example.nl")


async def _with(mailbox, address, fragment):
    return [m for m in await mailbox.to(address) if fragment.lower() in m["subject"].lower()]


async def test_invited_address_gets_one_bilingual_mail_saying_how_to_accept(stack, kafka_namespace, signer,
                                                                             publish, mailbox):
    org, admin = uuid4(), uuid4()
    invited = unique_address("Nieuw.Lid")
    async with notify_service(stack, kafka_namespace, signer) as notify:
        await publish(_registered(org, "Waterschap Voorbeeld", "drinking_water"))
        await publish(PersonJoinedV1(organisation_id=org, person_id=admin, name="Anna Beheer",
                                     email=unique_address("anna")))
        invitation = InvitationCreatedV1(organisation_id=org, invitation_id=uuid4(), email=invited,
                                         roles=["gebruiker", "beheerder_netwerk"], invited_by=admin,
                                         organisation_name="Waterschap Voorbeeld",
                                         expires_at=now() + timedelta(days=14))
        await publish(invitation)
        await publish(invitation)  # announced again (e.g. a replayed outbox): still one mail
        await eventually(lambda: fetch(notify, "SELECT 1 FROM inbox HAVING count(*) = $1", publish.count))
        mails = await eventually(lambda: _with(mailbox, invited, "Waterschap Voorbeeld"))
        await eventually(lambda: fetch(notify, "SELECT 1 FROM messages HAVING bool_and(status = 'sent')"))

        assert len(await mailbox.to(invited)) == 1
        assert "Uitnodiging" in mails[0]["subject"] and "Invitation" in mails[0]["subject"]
        text = (await mailbox.read(mails[0]["id"]))["text"]
        for words in ("Anna Beheer nodigt u namens Waterschap Voorbeeld uit", "gebruiker, beheerder netwerkgegevens",
                      "eHerkenning of SSOnRijk", "user, network data administrator", "eHerkenning or SSOnRijk",
                      "https://portaal.weerbaar.test/login", invitation.expires_at.astimezone(ZoneInfo("Europe/Amsterdam")).strftime("%d-%m-%Y")):
            assert words in text, words
        row = (await fetch(notify, "SELECT category, person_id FROM messages WHERE recipient = $1",
                           invited.lower()))[0]
        assert row["category"] == "roles" and row["person_id"] is None  # mandatory; nobody's preference


async def test_withdrawal_reaches_those_who_were_mailed_and_keeps_red_confidential(stack, kafka_namespace, signer,
                                                                                   publish, mailbox):
    energy, water = uuid4(), uuid4()
    soc = unique_address("soc", "netbeheer.example")
    anna, carol = uuid4(), uuid4()
    anna_at, carol_at = unique_address("anna"), unique_address("carol")
    green, red = uuid4(), uuid4()
    async with notify_service(stack, kafka_namespace, signer) as notify:
        await publish(_registered(energy, "Netbeheer Voorbeeld", "energy", soc))
        await publish(_registered(water, "Waterbedrijf Voorbeeld", "drinking_water"))
        await publish(PersonJoinedV1(organisation_id=energy, person_id=anna, name="Anna", email=anna_at))
        await publish(PersonJoinedV1(organisation_id=water, person_id=carol, name="Carol", email=carol_at,
                                     language="en"))
        await eventually(lambda: fetch(notify, "SELECT 1 FROM memberships HAVING count(*) = 2"))

        await publish(PublicationPublishedV1(publication_id=green, kind="advisory", title="Lek in omvormers",
                                             tlp="GREEN", audience=Audience(sectors=["energy"])))
        await publish(PublicationPublishedV1(publication_id=red, kind="analysis", title="Gerichte aanval",
                                             tlp="RED", audience=Audience(everyone=True, person_ids=[carol])))
        for address, title in ((anna_at, "Lek in omvormers"), (soc, "Lek in omvormers"), (carol_at, "Gerichte aanval")):
            await eventually(lambda: _with(mailbox, address, title))

        await publish(PublicationWithdrawnV1(publication_id=green, reason="Onjuiste versies genoemd", kind="advisory",
                                             title="Lek in omvormers", tlp="GREEN",
                                             audience=Audience(sectors=["energy"]), revision=1))
        await publish(PublicationWithdrawnV1(publication_id=red, reason="SECRET-REASON", kind="analysis",
                                             title="Gerichte aanval", tlp="RED", tracking_id="SECRET-TRACKING",
                                             audience=Audience(everyone=True, person_ids=[carol]), revision=1))

        notice = await eventually(lambda: _with(mailbox, anna_at, "Ingetrokken"))
        assert "Reden: Onjuiste versies genoemd" in (await mailbox.read(notice[0]["id"]))["text"]
        to_soc = await eventually(lambda: _with(mailbox, soc, "Ingetrokken"))
        assert "Lek in omvormers" in to_soc[0]["subject"]
        secret = await eventually(lambda: _with(mailbox, carol_at, "Withdrawn"))
        body = await mailbox.read(secret[0]["id"])
        assert "Gerichte aanval" in body["subject"] and f"https://portaal.weerbaar.test/adviezen/{red}" in body["text"]
        assert "SECRET" not in body["subject"] + body["text"] + body["html"]

        await eventually(lambda: fetch(notify, "SELECT 1 FROM inbox HAVING count(*) = $1", publish.count))
        await eventually(lambda: fetch(notify, "SELECT 1 FROM messages HAVING bool_and(status = 'sent')"))
        # Only those who had a mail about it: Carol never heard of the green one, Anna nor the
        # mailbox of the red one; one notice each.
        assert [m["subject"] for m in await mailbox.to(anna_at) if "Ingetrokken" in m["subject"]] == [notice[0]["subject"]]
        assert len(await _with(mailbox, soc, "Ingetrokken")) == 1
        assert [m for m in await mailbox.to(carol_at) if "Lek in omvormers" in m["subject"]] == []
        assert len(await _with(mailbox, carol_at, "Withdrawn")) == 1


async def test_mail_not_yet_sent_is_cancelled_by_the_withdrawal_and_needs_no_notice(stack, kafka_namespace, signer,
                                                                                    publish):
    org, person, publication = uuid4(), uuid4(), uuid4()
    async with notify_service(stack, kafka_namespace, signer, run_sender=False) as notify:
        await publish(_registered(org, "Netbeheer Later", "energy"))
        await publish(PersonJoinedV1(organisation_id=org, person_id=person, name="Dirk", email=unique_address("dirk")))
        await eventually(lambda: fetch(notify, "SELECT 1 FROM memberships"))
        await publish(PublicationPublishedV1(publication_id=publication, kind="news", title="Nog niet verstuurd",
                                             tlp="CLEAR", audience=Audience(everyone=True)))
        await eventually(lambda: fetch(notify, "SELECT 1 FROM messages WHERE status = 'queued'"))
        await publish(PublicationWithdrawnV1(publication_id=publication, reason="Te vroeg", kind="news",
                                             title="Nog niet verstuurd", tlp="CLEAR"))
        await eventually(lambda: fetch(notify, "SELECT 1 FROM inbox HAVING count(*) = $1", publish.count))
        rows = await fetch(notify, "SELECT kind, status FROM messages WHERE about = $1", str(publication))
        assert [(r["kind"], r["status"]) for r in rows] == [("publication_published", "cancelled")]
