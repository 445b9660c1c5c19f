"""Who may see a publication: its TLP 2.0 label and its audience ("doelgroep").

The audience is decided in this order:

1. CSIRT staff see everything, in every state (they write, review and answer questions).
2. Anyone else sees only published or withdrawn publications (a withdrawal must reach the
   people who may have acted on the advisory).
3. TLP:RED reaches only the people named in the audience (`people`).
4. TLP:AMBER+STRICT stays inside the organisations named in the audience (`organisations`).
5. TLP:CLEAR, GREEN and AMBER follow the audience:
   - `everyone`: every logged-in organisation;
   - a named organisation is always in;
   - otherwise the *profile* criteria decide, combined with AND between kinds and OR within
     a kind: classification (essential / important / not in scope), sector or subsector
     (one kind: "energy" or "electricity" both pick), and Netcode. So "essential + energy"
     means essential entities in the energy sector, not every essential entity plus every
     energy company. An audience without any criterion reaches no one (fail closed).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .tlp import Tlp


class Classification(str, Enum):
    """The NIS2 / Cyberbeveiligingswet classification of an organisation."""

    ESSENTIAL = "essential"  # essentieel (vitaal)
    IMPORTANT = "important"  # belangrijk
    NOT_IN_SCOPE = "not_in_scope"  # niet onder NIS2


class PublicationState(str, Enum):
    DRAFT = "draft"  # concept
    REVIEW = "review"  # ter beoordeling
    PUBLISHED = "published"  # gepubliceerd
    WITHDRAWN = "withdrawn"  # ingetrokken


VISIBLE_TO_CONSTITUENCY = (PublicationState.PUBLISHED, PublicationState.WITHDRAWN)


@dataclass(frozen=True)
class Audience:
    everyone: bool = False
    classifications: frozenset[Classification] = frozenset()
    sectors: frozenset[str] = frozenset()
    subsectors: frozenset[str] = frozenset()
    netcode: bool = False  # only entities that fall under the Netcode (energy)
    organisations: frozenset[str] = frozenset()  # named organisation ids
    people: frozenset[str] = frozenset()  # named person ids, for TLP:RED

    @property
    def has_profile(self) -> bool:
        return bool(self.classifications or self.sectors or self.subsectors or self.netcode)


@dataclass(frozen=True)
class OrganisationFacts:
    """What the register says about the viewer's organisation."""

    organisation_id: str
    classification: Classification
    sector_codes: frozenset[str] = frozenset()
    subsector_codes: frozenset[str] = frozenset()
    netcode: bool = False


@dataclass(frozen=True)
class Viewer:
    person_id: str
    organisation: OrganisationFacts | None = None  # None: a person acting for no organisation
    csirt_staff: bool = False


@dataclass(frozen=True)
class Visible:
    """The two facts of a publication that decide visibility."""

    tlp: Tlp
    audience: Audience
    state: PublicationState = PublicationState.PUBLISHED


def _matches_profile(audience: Audience, org: OrganisationFacts) -> bool:
    if not audience.has_profile:
        return False
    if audience.classifications and org.classification not in audience.classifications:
        return False
    if (audience.sectors or audience.subsectors) and not (
        audience.sectors & org.sector_codes or audience.subsectors & org.subsector_codes
    ):
        return False
    if audience.netcode and not org.netcode:
        return False
    return True


def in_audience(audience: Audience, org: OrganisationFacts | None) -> bool:
    if org is None:
        return False
    return audience.everyone or org.organisation_id in audience.organisations or _matches_profile(audience, org)


def reaches_anyone(tlp: Tlp, audience: Audience) -> bool:
    """Could this label and audience reach any reader at all? An audience that reaches no one
    is almost always a forgotten choice, so it must not be published (see publishing)."""
    if tlp is Tlp.RED:
        return bool(audience.people)
    if tlp is Tlp.AMBER_STRICT:
        return bool(audience.organisations)
    return audience.everyone or bool(audience.organisations) or audience.has_profile


def may_see(publication: Visible, viewer: Viewer) -> bool:
    """May this viewer read this publication? (Rules in the module docstring.)"""
    if viewer.csirt_staff:
        return True
    if publication.state not in VISIBLE_TO_CONSTITUENCY:
        return False
    audience = publication.audience
    if publication.tlp is Tlp.RED:
        return viewer.person_id in audience.people
    if publication.tlp is Tlp.AMBER_STRICT:
        return viewer.organisation is not None and viewer.organisation.organisation_id in audience.organisations
    return in_audience(audience, viewer.organisation)
