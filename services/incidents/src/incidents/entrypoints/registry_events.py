"""The read model of organisations, kept from the registry's events.

An incident keeps the duty it was opened under: a later change of classification changes
new incidents, never the deadlines of one already running.
"""

from __future__ import annotations

import asyncpg
from weerbaar_contracts import CloudEvent
from weerbaar_contracts.events.registry import EntityDeregisteredV1, EntityRegisteredV1, EntityUpdatedV1

from incidents.adapters import organisations
from incidents.domain.organisations import reports_statutorily


async def on_entity_snapshot(conn: asyncpg.Connection, payload: EntityRegisteredV1 | EntityUpdatedV1,
                             event: CloudEvent) -> None:
    await organisations.upsert(
        conn, organisation_id=payload.organisation_id, name=payload.legal_name,
        classification=payload.classification,
        statutory=reports_statutorily(payload.classification, payload.entitlements),
        registration_version=payload.registration_version)


async def on_entity_deregistered(conn: asyncpg.Connection, payload: EntityDeregisteredV1, event: CloudEvent) -> None:
    await organisations.mark_deregistered(conn, payload.organisation_id)


HANDLERS = {
    EntityRegisteredV1: on_entity_snapshot,
    EntityUpdatedV1: on_entity_snapshot,
    EntityDeregisteredV1: on_entity_deregistered,
}
