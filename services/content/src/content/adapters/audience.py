"""The audience as the events and the API carry it (the shared contract) <-> the domain's."""
from __future__ import annotations

from typing import Any

from weerbaar_contracts.events.content import Audience as AudienceContract

from ..domain.visibility import Audience, Classification


def to_domain(contract: AudienceContract) -> Audience:
    return Audience(
        everyone=contract.everyone,
        classifications=frozenset(Classification(c) for c in contract.classifications),
        sectors=frozenset(contract.sectors), subsectors=frozenset(contract.subsectors),
        netcode=contract.netcode,
        organisations=frozenset(str(o) for o in contract.organisation_ids),
        people=frozenset(str(p) for p in contract.person_ids))


def to_contract(audience: Audience) -> AudienceContract:
    return AudienceContract(
        everyone=audience.everyone,
        classifications=sorted(c.value for c in audience.classifications),
        sectors=sorted(audience.sectors), subsectors=sorted(audience.subsectors), netcode=audience.netcode,
        organisation_ids=sorted(audience.organisations), person_ids=sorted(audience.people))


def from_json(data: dict[str, Any]) -> Audience:
    return to_domain(AudienceContract.model_validate(data))


def to_json(audience: Audience) -> dict[str, Any]:
    return to_contract(audience).model_dump(mode="json")
