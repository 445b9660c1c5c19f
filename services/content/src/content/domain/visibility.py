"""Who may see a publication. The audience and TLP rule is shared with notify and lives in
weerbaar_contracts.audience (TLP:RED only named people; AMBER+STRICT only named organisations;
otherwise `everyone`, named organisations, or the profile criteria, AND between kinds and OR
within a kind; no criterion reaches no one; deregistered organisations reach nothing).

What is content's own is who sees which *state*:
1. CSIRT staff see everything, in every state (they write, review and answer questions).
2. Anyone else sees only published or withdrawn publications (a withdrawal must reach the
   people who may have acted on the advisory), and then only as the shared rule says.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from uuid import UUID

from weerbaar_contracts.audience import OrganisationProfile, reaches_anyone, reaches_person
from weerbaar_contracts.events.content import Audience

from .tlp import Tlp

__all__ = ["Audience", "OrganisationProfile", "PublicationState", "Viewer", "Visible", "may_see",
           "reaches_anyone"]


class PublicationState(str, Enum):
    DRAFT = "draft"  # concept
    REVIEW = "review"  # ter beoordeling
    PUBLISHED = "published"  # gepubliceerd
    WITHDRAWN = "withdrawn"  # ingetrokken


VISIBLE_TO_CONSTITUENCY = (PublicationState.PUBLISHED, PublicationState.WITHDRAWN)


@dataclass(frozen=True)
class Viewer:
    person_id: UUID
    #: the acting organisation as the register knows it; None: acting for no organisation, or
    #: one the register does not (or no longer) know
    organisation: OrganisationProfile | None = None
    csirt_staff: bool = False


@dataclass(frozen=True)
class Visible:
    """The facts of a publication that decide visibility."""

    tlp: Tlp
    audience: Audience
    state: PublicationState = PublicationState.PUBLISHED


def may_see(publication: Visible, viewer: Viewer) -> bool:
    """May this viewer read this publication? (Rules in the module docstring.)"""
    if viewer.csirt_staff:
        return True
    if publication.state not in VISIBLE_TO_CONSTITUENCY:
        return False
    return reaches_person(publication.tlp, publication.audience, viewer.person_id, viewer.organisation)
