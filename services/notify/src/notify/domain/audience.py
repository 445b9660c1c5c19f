"""Which organisations and people a publication reaches by mail.

The rule is content's visibility rule (services/content/src/content/domain/visibility.py),
restated for the fan-out because a service must not import another service's code:
- TLP:RED reaches only the people named in the audience, and no group mailbox;
- TLP:AMBER+STRICT stays inside the organisations named in the audience;
- CLEAR, GREEN and AMBER follow the audience: `everyone`; a named organisation is always in;
  otherwise the profile criteria, AND between kinds and OR within a kind (classification;
  sector or subsector as one kind; Netcode). No criterion at all reaches no one (fail closed).
Deregistered organisations are never in reach.

`OrganisationReach` is both the rule (`admits`, for unit tests and small sets) and the
parameters of the SQL that applies it to the whole register (adapters/fanout.py); a stack test
checks that the two agree."""
from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from weerbaar_contracts.events.content import Audience


@dataclass(frozen=True)
class Organisation:
    id: UUID
    classification: str
    sector: str
    subsector: str | None = None
    netcode: bool = False
    registered: bool = True


@dataclass(frozen=True)
class OrganisationReach:
    everyone: bool = False
    named: frozenset[UUID] = frozenset()
    use_profile: bool = False
    classifications: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    subsectors: frozenset[str] = frozenset()
    netcode: bool = False
    #: people reached directly (TLP:RED), whatever their organisation
    people: frozenset[UUID] = field(default_factory=frozenset)
    group_mailboxes: bool = True

    def admits(self, org: Organisation) -> bool:
        if not org.registered:
            return False
        if self.everyone or org.id in self.named:
            return True
        if not self.use_profile:
            return False
        if self.classifications and org.classification not in self.classifications:
            return False
        if (self.sectors or self.subsectors) and not (
                org.sector in self.sectors or (org.subsector is not None and org.subsector in self.subsectors)):
            return False
        if self.netcode and not org.netcode:
            return False
        return True


def reach_of(tlp: str, audience: Audience) -> OrganisationReach:
    if tlp == "RED":
        return OrganisationReach(people=frozenset(audience.person_ids), group_mailboxes=False)
    named = frozenset(audience.organisation_ids)
    if tlp == "AMBER+STRICT":
        return OrganisationReach(named=named)
    has_profile = bool(audience.classifications or audience.sectors or audience.subsectors or audience.netcode)
    return OrganisationReach(
        everyone=audience.everyone, named=named, use_profile=has_profile,
        classifications=frozenset(audience.classifications), sectors=frozenset(audience.sectors),
        subsectors=frozenset(audience.subsectors), netcode=audience.netcode)
