"""The fan-out SQL reaches exactly the organisations the audience rule (domain/audience.py,
content's visibility rule restated) admits, over a grid of organisation profiles."""
import itertools
from uuid import uuid4

import pytest
from weerbaar_contracts.events.content import Audience
from weerbaar_platform.db import create_pool, upgrade_async

from notify.adapters.messages import Targets, queue
from notify.domain.audience import Organisation, reach_of
from notify.domain.categories import Category
from notify_support import MIGRATIONS

pytestmark = pytest.mark.stack

AUDIENCES = [
    Audience(everyone=True), Audience(), Audience(sectors=["energy"]), Audience(subsectors=["energy.gas"]),
    Audience(classifications=["essential"], sectors=["energy", "drinking_water"]),
    Audience(classifications=["important", "not_in_scope"], netcode=True),
    Audience(netcode=True, subsectors=["energy.electricity"]),
]


async def test_sql_fan_out_agrees_with_the_rule(stack):
    dsn = await stack.fresh_database("notifyaudience")
    await upgrade_async(dsn, MIGRATIONS)
    pool = await create_pool(dsn, max_size=2)
    orgs = [Organisation(uuid4(), c, s, sub, netcode, registered)
            for c, (s, sub), netcode, registered in itertools.product(
                ["essential", "important", "not_in_scope"],
                [("energy", "energy.electricity"), ("energy", "energy.gas"), ("drinking_water", None)],
                [True, False], [True, False])]
    named = orgs[5].id
    try:
        async with pool.acquire() as conn:
            for o in orgs:
                await conn.execute("INSERT INTO organisations (id, legal_name, sector, subsector, classification, netcode,"
                                   " group_mailbox, registered) VALUES ($1, 'x', $2, $3, $4, $5, $6, $7)",
                                   o.id, o.sector, o.subsector, o.classification, o.netcode, f"{o.id}@example.nl",
                                   o.registered)
            for tlp, base in itertools.product(["GREEN", "AMBER", "AMBER+STRICT", "RED"], AUDIENCES):
                audience = base.model_copy(update={"organisation_ids": [named]})
                reach = reach_of(tlp, audience)
                event = str(uuid4())
                await queue(conn, event_id=event, kind="publication_published", category=Category.ADVISORIES,
                            context={}, targets=Targets(reach=reach))
                got = {r["organisation_id"] for r in await conn.fetch(
                    "SELECT organisation_id FROM messages WHERE event_id = $1", event)}
                assert got == {o.id for o in orgs if reach.admits(o)} if reach.group_mailboxes else got == set(), \
                    (tlp, base)
    finally:
        await pool.close()
