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
    # --- added within v1 (optional, so older consumers and producers stay valid) ---
    #: NIS2 entity type code, e.g. `digital_infrastructure.dns_service_provider`
    entity_type: str | None = None
    #: `high_impact` or `critical_impact` when the Netcode applies (then `netcode` is true)
    netcode_impact: Literal["high_impact", "critical_impact"] | None = None
    #: the CSIRT that serves the organisation (`ncsc`, `z-cert`, `ibd`...)
    sectoral_csirt: str | None = None
    #: where the CSIRT sends warnings about the organisation's networks
    security_contact_email: EmailStr | None = None
    member_states: list[str] = []


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
    #: the final value before this change; absent for the first classification
    previous: Classification | None = None
    registration_version: int | None = None


class EntityDeregisteredV1(_RegistryEvent):
    event_type = "registry.entity.deregistered"
    version = 1
    organisation_id: UUID
    reason: str
    deregistered_by: UUID | None = None
    registration_version: int | None = None
