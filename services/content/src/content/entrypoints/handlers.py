"""Registry events -> the organisations read model, so what a person sees follows the register."""
from __future__ import annotations

from weerbaar_contracts import CloudEvent
from weerbaar_contracts.events.registry import (
    ClassificationChangedV1, EntityDeregisteredV1, EntityRegisteredV1, EntityUpdatedV1)

from ..adapters import organisations


async def on_entity_registered(conn, payload: EntityRegisteredV1, event: CloudEvent) -> None:
    await organisations.apply_snapshot(conn, payload)


async def on_entity_updated(conn, payload: EntityUpdatedV1, event: CloudEvent) -> None:
    await organisations.apply_snapshot(conn, payload)


async def on_classification_changed(conn, payload: ClassificationChangedV1, event: CloudEvent) -> None:
    await organisations.set_classification(conn, payload.organisation_id, payload.final,
                                           getattr(payload, "registration_version", None))


async def on_entity_deregistered(conn, payload: EntityDeregisteredV1, event: CloudEvent) -> None:
    await organisations.deregister(conn, payload.organisation_id)


HANDLERS = {
    EntityRegisteredV1: on_entity_registered,
    EntityUpdatedV1: on_entity_updated,
    ClassificationChangedV1: on_classification_changed,
    EntityDeregisteredV1: on_entity_deregistered,
}
