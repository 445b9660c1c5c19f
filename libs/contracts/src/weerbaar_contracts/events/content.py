"""Events of the content service: publications (advisories, analyses, news) and their
audience, so that notify can fan out. Keyed by publication id."""
from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from .. import topics
from ..base import EventPayload

Tlp = Literal["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]


class Audience(BaseModel):
    """Who a publication is for. Within one kind of criterion the values are OR-ed (sector A or
    B); different kinds are AND-ed (essential AND in the water sector); named organisations are
    always in; `everyone` overrides the rest. TLP narrows further (AMBER+STRICT: named
    organisations only; RED: named people only)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    everyone: bool = False
    classifications: list[Literal["essential", "important", "not_in_scope"]] = []
    sectors: list[str] = []
    subsectors: list[str] = []
    netcode: bool = False
    organisation_ids: list[UUID] = []
    person_ids: list[UUID] = []


class _ContentEvent(EventPayload):
    topic = topics.CONTENT_PUBLICATIONS
    aggregate = "publication_id"


class PublicationPublishedV1(_ContentEvent):
    event_type = "content.publication.published"
    version = 1
    publication_id: UUID
    kind: Literal["advisory", "analysis", "news"]
    title: str
    tlp: Tlp
    audience: Audience
    revision: int = 1
    tracking_id: str | None = None


class PublicationRevisedV1(PublicationPublishedV1):
    event_type = "content.publication.revised"
    version = 1
    changes: list[str] = []


class PublicationWithdrawnV1(_ContentEvent):
    event_type = "content.publication.withdrawn"
    version = 1
    publication_id: UUID
    reason: str
    # Optional since the first release: who had it, so notify can tell the same audience.
    kind: Literal["advisory", "analysis", "news"] | None = None
    title: str | None = None
    tlp: Tlp | None = None
    audience: Audience | None = None
    revision: int | None = None
    tracking_id: str | None = None
