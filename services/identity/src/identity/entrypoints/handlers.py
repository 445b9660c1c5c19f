"""Events from the registry: identity keeps a small read model of organisations (name, KvK
number, OIN) to match logins against invitations, and makes the registering person the new
organisation's first people admin.

The first admin's roles (gebruiker and beheerder persoon- en organisatiegegevens) are usable at
once: the delay exists so a wrongly given role can be taken back before it is used, but here
nobody gave it — the person registered the organisation themselves, having logged in for it —
and without it nobody could manage the organisation for an hour. The activation scheduler still
announces RoleActivatedV1 for them, like for every other role."""
from __future__ import annotations

from weerbaar_contracts import CloudEvent
from weerbaar_contracts.events.registry import EntityDeregisteredV1, EntityRegisteredV1, EntityUpdatedV1
from weerbaar_platform.auth import BEHEERDER_PERSONEN, GEBRUIKER

from ..adapters import store
from ..context import IdentityContext
from ..flows import people

FIRST_ADMIN_ROLES = (GEBRUIKER, BEHEERDER_PERSONEN)


def registry_handlers(ctx: IdentityContext) -> dict:
    async def on_registered(conn, payload: EntityRegisteredV1, event: CloudEvent) -> None:
        org = payload.organisation_id
        await store.upsert_organisation(conn, id=org, legal_name=payload.legal_name, kvk=payload.kvk,
                                        oin=payload.oin, version=payload.registration_version)
        await store.lock_organisation(conn, org)
        person = payload.registered_by
        await store.ensure_person(conn, person, payload.registered_by_name, str(payload.registered_by_email))
        now = ctx.clock()
        await people.join(conn, org, person, at=now, actor=None, via="registration")
        held = {g["role"] for g in await store.current_grants(conn, org, person)}
        for role in FIRST_ADMIN_ROLES:
            if role not in held:
                await people.grant(conn, org, person, role, by=None, at=now, delay_seconds=0)

    async def on_updated(conn, payload: EntityUpdatedV1, event: CloudEvent) -> None:
        await store.upsert_organisation(conn, id=payload.organisation_id, legal_name=payload.legal_name,
                                        kvk=payload.kvk, oin=payload.oin, version=payload.registration_version)

    async def on_deregistered(conn, payload: EntityDeregisteredV1, event: CloudEvent) -> None:
        await conn.execute("UPDATE organisations SET deregistered = true WHERE id = $1", payload.organisation_id)

    return {EntityRegisteredV1: on_registered, EntityUpdatedV1: on_updated, EntityDeregisteredV1: on_deregistered}
