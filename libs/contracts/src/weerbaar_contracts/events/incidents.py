"""Events of the incidents service: NIS2 article 23 reports, their stages and deadlines.
Keyed by incident id; each event also names the organisation."""
from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from .. import topics
from ..base import EventPayload

Stage = Literal["early_warning", "notification", "intermediate", "progress", "final"]

#: What people read for each stage (Cyberbeveiligingswet's words, with the English beside them):
#: the pages and the mails say the same.
STAGE_NAMES: dict[str, tuple[str, str]] = {
    "early_warning": ("vroegtijdige waarschuwing", "early warning"),
    "notification": ("incidentmelding", "incident notification"),
    "intermediate": ("tussentijds verslag", "intermediate report"),
    "progress": ("voortgangsverslag", "progress report"),
    "final": ("eindverslag", "final report"),
}


class _IncidentEvent(EventPayload):
    topic = topics.INCIDENTS
    aggregate = "incident_id"


class IncidentReportedV1(_IncidentEvent):
    event_type = "incidents.incident.reported"
    version = 1
    summary = "A new incident report (first stage submitted, or a public report without login)."
    incident_id: UUID
    organisation_id: UUID | None
    reference: str
    title: str
    statutory: bool
    reported_by: UUID | None = None


class StageSubmittedV1(_IncidentEvent):
    event_type = "incidents.stage.submitted"
    version = 1
    incident_id: UUID
    organisation_id: UUID
    reference: str
    stage: Stage
    submitted_by: UUID
    next_stage: Stage | None = None
    next_deadline: datetime | None = None


class IntermediateReportRequestedV1(_IncidentEvent):
    event_type = "incidents.intermediate.requested"
    version = 1
    incident_id: UUID
    organisation_id: UUID
    reference: str
    requested_by: UUID
    due: datetime | None = None


class DeadlineApproachingV1(_IncidentEvent):
    event_type = "incidents.deadline.approaching"
    version = 1
    incident_id: UUID
    organisation_id: UUID
    reference: str
    stage: Stage
    deadline: datetime


class DeadlineMissedV1(_IncidentEvent):
    event_type = "incidents.deadline.missed"
    version = 1
    incident_id: UUID
    organisation_id: UUID
    reference: str
    stage: Stage
    deadline: datetime


class StatusChangedV1(_IncidentEvent):
    event_type = "incidents.status.changed"
    version = 1
    incident_id: UUID
    organisation_id: UUID | None
    reference: str
    status: str
    changed_by: UUID | None = None
