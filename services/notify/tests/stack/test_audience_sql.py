"""The fan-out SQL reaches exactly the organisations and people the shared audience rule
(weerbaar_contracts.audience, the one content also reads by) reaches, over a grid of
organisation profiles, labels and audiences."""
import itertools
from uuid import uuid4

import pytest
from weerbaar_contracts.audience import OrganisationProfile, reach, reaches_organisation
from weerbaar_contracts.events.content import Audience
from weerbaar_platform.db import create_pool, upgrade_async

from notify.adapters.messages import Targets, queue
from notify.domain.categories import Category
from notify_support import MIGRATIONS

pytestmark = pytest.mark.stack

AUDIENCES = [
    Audience(everyone=True), Audience(), Audience(sectors=["energy"]), Audience(subsectors=["energy.gas"]),
    Audience(classifications=["essential"], sectors=["energy", "drinking_water"]),
    Audience(classifications=["important", "not_in_scope"], netcode=True),
    Audience(netcode=True, subsectors=["energy.electricity"]),
]


async def test_sql_fan_out_agrees_with_the_shared_rule(stack):
    dsn = await stack.fresh_database("notifyaudience")
    await upgrade_async(dsn, MIGRATIONS)
    pool = await create_pool(dsn, max_size=2)
    orgs = [OrganisationProfile(uuid4(), c, frozenset({sector}), frozenset({sub}) if sub else frozenset(),
                                netcode, registered)
            for c, (sector, sub), netcode, registered in itertools.product(
                ["essential", "important", "not_in_scope"],
                [("energy", "energy.electricity"), ("energy", "energy.gas"), ("drinking_water", None)],
                [True, False], [True, False])]
    named = orgs[5].id
    red_person = uuid4()
    try:
        async with pool.acquire() as conn:
            for o in orgs:
                (sector,), subsector = o.sector_codes, next(iter(o.subsector_codes), None)
                await conn.execute("INSERT INTO organisations (id, legal_name, sector, subsector, classification, netcode,"
                                   " group_mailbox, registered) VALUES ($1, 'x', $2, $3, $4, $5, $6, $7)",
                                   o.id, sector, subsector, o.classification, o.netcode, f"{o.id}@example.nl",
                                   o.registered)
            await conn.execute("INSERT INTO persons (id, name, email) VALUES ($1, 'Rood', $2)",
                               red_person, f"{red_person}@example.nl")
            for tlp, base in itertools.product(["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"], AUDIENCES):
                audience = base.model_copy(update={"organisation_ids": [named], "person_ids": [red_person]})
                event = str(uuid4())
                await queue(conn, event_id=event, kind="publication_published", category=Category.ADVISORIES,
                            context={}, targets=Targets(reach=reach(tlp, audience)))
                rows = await conn.fetch("SELECT organisation_id, person_id FROM messages WHERE event_id = $1", event)
                mailboxes = {r["organisation_id"] for r in rows if r["person_id"] is None}
                people = {r["person_id"] for r in rows if r["person_id"] is not None}
                assert mailboxes == {o.id for o in orgs if reaches_organisation(tlp, audience, o)}, (tlp, base)
                assert people == ({red_person} if tlp == "RED" else set()), (tlp, base)
    finally:
        await pool.close()
