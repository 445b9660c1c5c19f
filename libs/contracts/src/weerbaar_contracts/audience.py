"""Who a publication reaches: its TLP 2.0 label plus its audience ("doelgroep").

The one statement of the rule; content uses it to decide who may read a publication, notify to
decide who gets a mail about it (notify's fan-out SQL is checked against it by a stack test).
It works on the contract's `Audience` (events/content.py) and on `OrganisationProfile`, what
the register says about an organisation. Pure: no I/O.

1. TLP:RED reaches only the people named in the audience (`person_ids`), never an organisation
   as a whole (so no colleague and no group mailbox).
2. TLP:AMBER+STRICT reaches only the organisations named in the audience (`organisation_ids`);
   `everyone` and the profile criteria do not widen it.
3. TLP:CLEAR, GREEN and AMBER follow the audience: `everyone` reaches every organisation; a
   named organisation is always in; otherwise the profile criteria decide, AND between kinds and
   OR within a kind: classification; sector or subsector (one kind: "energy" or
   "energy.electricity" both pick); Netcode. So "essential + energy" means essential entities in
   the energy sector. An audience without any criterion reaches no one (fail closed).
4. A deregistered organisation is reached by nothing (named or not); the people named under
   TLP:RED are reached as people, whatever their organisation.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from uuid import UUID

from .events.content import Audience

RED = "RED"
AMBER_STRICT = "AMBER+STRICT"


@dataclass(frozen=True)
class OrganisationProfile:
    """What the register says about an organisation, as far as the audience rule needs it."""

    id: UUID
    classification: str  # essential | important | not_in_scope (NIS2 / Cyberbeveiligingswet)
    sector_codes: frozenset[str] = frozenset()
    subsector_codes: frozenset[str] = frozenset()
    netcode: bool = False  # falls under the Netcode (energy)
    registered: bool = True  # False once deregistered


@dataclass(frozen=True)
class Reach:
    """An audience narrowed by its TLP label: the organisations and people it reaches. It is the
    rule in a form that other code can also translate (notify turns it into SQL)."""

    everyone: bool = False
    organisation_ids: frozenset[UUID] = frozenset()
    #: the profile criteria; all empty/False together means the profile reaches no one
    classifications: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    subsectors: frozenset[str] = frozenset()
    netcode: bool = False
    #: people reached as people (TLP:RED), whatever their organisation
    person_ids: frozenset[UUID] = frozenset()

    @property
    def uses_profile(self) -> bool:
        return bool(self.classifications or self.sectors or self.subsectors or self.netcode)

    @property
    def reaches_organisations(self) -> bool:
        return self.everyone or bool(self.organisation_ids) or self.uses_profile

    def matches_profile(self, org: OrganisationProfile) -> bool:
        if not self.uses_profile:
            return False
        if self.classifications and org.classification not in self.classifications:
            return False
        if (self.sectors or self.subsectors) and not (
                self.sectors & org.sector_codes or self.subsectors & org.subsector_codes):
            return False
        if self.netcode and not org.netcode:
            return False
        return True

    def admits(self, org: OrganisationProfile) -> bool:
        """Is this organisation (its people, its group mailbox) reached?"""
        if not org.registered:
            return False
        return self.everyone or org.id in self.organisation_ids or self.matches_profile(org)


def _label(tlp: str | Enum) -> str:
    return str(tlp.value if isinstance(tlp, Enum) else tlp).upper().removeprefix("TLP:")


def reach(tlp: str | Enum, audience: Audience) -> Reach:
    """The audience as far as the TLP label lets it go (rules 1-3 in the module docstring)."""
    label = _label(tlp)
    if label == RED:
        return Reach(person_ids=frozenset(audience.person_ids))
    named = frozenset(audience.organisation_ids)
    if label == AMBER_STRICT:
        return Reach(organisation_ids=named)
    return Reach(everyone=audience.everyone, organisation_ids=named,
                 classifications=frozenset(audience.classifications), sectors=frozenset(audience.sectors),
                 subsectors=frozenset(audience.subsectors), netcode=audience.netcode)


def reaches_organisation(tlp: str | Enum, audience: Audience, org: OrganisationProfile) -> bool:
    return reach(tlp, audience).admits(org)


def reaches_person(tlp: str | Enum, audience: Audience, person_id: UUID,
                   organisation: OrganisationProfile | None) -> bool:
    """Does it reach this person, acting for this organisation (None: for no organisation, or
    one the register does not know)?"""
    narrowed = reach(tlp, audience)
    if person_id in narrowed.person_ids:
        return True
    return organisation is not None and narrowed.admits(organisation)


def reaches_anyone(tlp: str | Enum, audience: Audience) -> bool:
    """Could this label and audience reach anyone at all? One that reaches no one is almost
    always a forgotten choice, so content refuses to publish it."""
    narrowed = reach(tlp, audience)
    return bool(narrowed.person_ids) or narrowed.reaches_organisations
