"""Preferences over HTTP (token required; mandatory categories refused with a bilingual 422),
and what they do: a digest person gets one mail a day with all their items; an "off" person
gets nothing optional, but still every mandatory mail."""
from datetime import datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from weerbaar_contracts.events.content import Audience, PublicationPublishedV1
from weerbaar_contracts.events.identity import PersonJoinedV1, RoleGrantedV1
from weerbaar_contracts.events.incidents import DeadlineApproachingV1, IncidentReportedV1
from weerbaar_contracts.events.netdata import FindingsReadyV1
from weerbaar_contracts.events.registry import EntityRegisteredV1
from weerbaar_platform.testing import bearer, eventually

from notify.entrypoints.digests import send_digests
from notify_support import fetch, notify_service, now, unique_address

pytestmark = pytest.mark.stack


async def test_preferences_api_needs_a_token_and_refuses_switching_off_mandatory(stack, kafka_namespace, signer):
    person = uuid4()
    async with notify_service(stack, kafka_namespace, signer) as notify:
        assert (await notify.get("/preferences")).status_code == 401
        headers = bearer(signer, person_id=person)
        initial = (await notify.get("/preferences", headers=headers)).json()
        assert {c["category"]: c["delivery"] for c in initial["categories"]}["advisories"] == "immediately"

        refused = await notify.put("/preferences", headers=headers,
                                   json={"categories": {"deadlines": "off", "advisories": "digest"}})
        assert refused.status_code == 422
        error = refused.json()["errors"][0]
        assert error["field"] == "categories.deadlines" and error["code"] == "mandatory_category"
        assert "verplicht" in error["message_nl"] and "mandatory" in error["message_en"]
        # Nothing of a refused change is kept.
        assert (await notify.get("/preferences", headers=headers)).json() == initial

        changed = await notify.put("/preferences", headers=headers,
                                   json={"categories": {"advisories": "digest", "findings": "off"}})
        assert changed.status_code == 200
        body = {c["category"]: (c["delivery"], c["mandatory"]) for c in changed.json()["categories"]}
        assert body["advisories"] == ("digest", False) and body["findings"] == ("off", False)
        assert body["deadlines"] == ("immediately", True)
        other = bearer(signer, person_id=uuid4())  # one's choices are one's own
        assert {c["category"]: c["delivery"] for c in
                (await notify.get("/preferences", headers=other)).json()["categories"]}["advisories"] == "immediately"
        unknown = await notify.put("/preferences", headers=headers, json={"categories": {"spam": "off"}})
        assert unknown.status_code == 422


async def test_digest_person_gets_one_mail_a_day_and_off_person_only_mandatory(
        stack, kafka_namespace, signer, publish, mailbox):
    org, dana, erik = uuid4(), uuid4(), uuid4()
    dana_at, erik_at = unique_address("dana"), unique_address("erik")
    optional = {"advisories", "findings", "incidents"}
    async with notify_service(stack, kafka_namespace, signer) as notify:
        for person, choice in ((dana, "digest"), (erik, "off")):
            response = await notify.put("/preferences", headers=bearer(signer, person_id=person),
                                        json={"categories": {c: choice for c in optional}})
            assert response.status_code == 200
        await publish(EntityRegisteredV1(organisation_id=org, registration_version=1, legal_name="Haven B.V.",
                                         sector="transport", subsector="transport.water", classification="important",
                                         registered_by=dana, registered_by_name="Dana", registered_by_email=dana_at))
        for person, address in ((dana, dana_at), (erik, erik_at)):
            await publish(PersonJoinedV1(organisation_id=org, person_id=person, name="P", email=address))
            for role in ("gebruiker", "beheerder_netwerk"):
                await publish(RoleGrantedV1(organisation_id=org, person_id=person, role=role, granted_by=None,
                                            usable_from=now() - timedelta(seconds=1)))
        await eventually(lambda: fetch(notify, "SELECT 1 FROM organisations"))
        incident = uuid4()
        await publish(IncidentReportedV1(incident_id=incident, organisation_id=org, reference="INC-7",
                                         title="Phishing", statutory=False, reported_by=dana))
        await publish(IncidentReportedV1(incident_id=uuid4(), organisation_id=org, reference="INC-8",
                                         title="DDoS", statutory=False, reported_by=erik))
        await publish(PublicationPublishedV1(publication_id=uuid4(), kind="advisory", title="Advies haven",
                                             tlp="GREEN", audience=Audience(organisation_ids=[org])))
        await publish(FindingsReadyV1(organisation_id=org, feed_run_id=uuid4(), feed_name="telnet", findings=1, rows=1))
        await publish(DeadlineApproachingV1(incident_id=incident, organisation_id=org, reference="INC-7",
                                            stage="notification", deadline=now() + timedelta(hours=2)))

        # Everything handled and every immediate mail sent.
        await eventually(lambda: fetch(notify, "SELECT 1 FROM inbox HAVING count(*) = $1", publish.count))
        await eventually(lambda: fetch(notify, "SELECT 1 FROM messages HAVING count(*) FILTER "
                                               "(WHERE status IN ('queued', 'sending')) = 0"))
        # Mandatory mails reach both: two role mails each and the deadline reminder.
        for address in (dana_at, erik_at):
            subjects = [m["subject"] for m in await eventually(lambda: _n_mails(mailbox, address, 3))]
            assert sum("gekregen" in s for s in subjects) == 2 and sum("Herinnering" in s for s in subjects) == 1
        held = await fetch(notify, "SELECT kind FROM messages WHERE person_id = $1 AND status = 'held'", dana)
        assert sorted(r["kind"] for r in held) == ["findings_ready", "incident_reported", "publication_published"]
        assert not await fetch(notify, "SELECT 1 FROM messages WHERE person_id = $1 AND category = ANY($2)",
                               erik, sorted(optional))

        # The digest job with an injected clock: tomorrow at 08:00 in Amsterdam.
        runtime = notify.app.state.runtime
        tomorrow = (datetime.now(ZoneInfo("Europe/Amsterdam")) + timedelta(days=1)).replace(hour=8, minute=0)
        assert await send_digests(runtime.pool, runtime.extras["renderer"], now=tomorrow, hour=7,
                                  zone="Europe/Amsterdam") == 1
        digest = await eventually(lambda: _n_mails(mailbox, dana_at, 4))
        digest = [m for m in digest if "dagelijkse overzicht" in m["subject"]]
        assert len(digest) == 1 and "3 berichten" in digest[0]["subject"]
        text = (await mailbox.read(digest[0]["id"]))["text"]
        for fragment in ("Melding INC-7 ontvangen", "Advies haven", "bevinding in uw netwerken"):
            assert fragment in text
        for row in await fetch(notify, "SELECT reference FROM messages WHERE person_id = $1 AND status = 'digested'", dana):
            assert row["reference"] in text

        # Once a day: a new item later that day waits for the next day's digest.
        await publish(FindingsReadyV1(organisation_id=org, feed_run_id=uuid4(), feed_name="rdp", findings=4, rows=4))
        await eventually(lambda: fetch(notify, "SELECT 1 FROM messages WHERE person_id = $1 AND status = 'held'", dana))
        later = tomorrow + timedelta(hours=5)
        assert await send_digests(runtime.pool, runtime.extras["renderer"], now=later, hour=7,
                                  zone="Europe/Amsterdam") == 0
        day_after = tomorrow + timedelta(days=1)
        assert await send_digests(runtime.pool, runtime.extras["renderer"], now=day_after, hour=7,
                                  zone="Europe/Amsterdam") == 1
        await eventually(lambda: _n_mails(mailbox, dana_at, 5))
        assert len(await mailbox.to(erik_at)) == 3


async def _n_mails(mailbox, address, n):
    mails = await mailbox.to(address)
    assert len(mails) <= n, [m["subject"] for m in mails]
    return mails if len(mails) == n else None
