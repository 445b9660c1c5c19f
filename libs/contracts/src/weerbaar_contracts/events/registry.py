"""Events of the registry: the entity register. Keyed by organisation id.

`EntityRegisteredV1` and `EntityUpdatedV1` carry the snapshot other services keep in their own
read models (content: who may see what; notify: group mailbox; incidents: statutory or not)."""
from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import EmailStr

from .. import topics
from ..base import EventPayload

Classification = Literal["essential", "important", "not_in_scope"]


class _RegistryEvent(EventPayload):
    topic = topics.REGISTRY_ENTITIES
    aggregate = "organisation_id"


class EntitySnapshot(_RegistryEvent):
    organisation_id: UUID
    registration_version: int
    legal_name: str
    kvk: str | None = None
    oin: str | None = None
    sector: str
    subsector: str | None = None
    classification: Classification
    netcode: bool = False
    group_mailbox: EmailStr | None = None
    #: services the organisation is entitled to (e.g. `statutory_reporting`, `sector_advisories`)
    entitlements: list[str] = []


class EntityRegisteredV1(EntitySnapshot):
    event_type = "registry.entity.registered"
    version = 1
    summary = "An organisation registered; the registering person becomes its first people admin."
    registered_by: UUID
    registered_by_name: str
    registered_by_email: EmailStr


class EntityUpdatedV1(EntitySnapshot):
    event_type = "registry.entity.updated"
    version = 1
    summary = "A new version of the registration; carries the whole snapshot."
    changed_fields: list[str] = []
    updated_by: UUID | None = None


class ClassificationChangedV1(_RegistryEvent):
    event_type = "registry.classification.changed"
    version = 1
    organisation_id: UUID
    derived: Classification
    final: Classification
    overridden_by: UUID | None = None
    reason: str | None = None


class EntityDeregisteredV1(_RegistryEvent):
    event_type = "registry.entity.deregistered"
    version = 1
    organisation_id: UUID
    reason: str
