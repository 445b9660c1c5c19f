"""Events of network data (part of the incidents service). Keyed by organisation id."""
from __future__ import annotations

from uuid import UUID

from .. import topics
from ..base import EventPayload


class _NetdataEvent(EventPayload):
    topic = topics.NETDATA
    aggregate = "organisation_id"


class NetworkDataChangedV1(_NetdataEvent):
    event_type = "netdata.network_data.changed"
    version = 1
    organisation_id: UUID
    set_version: int
    prefixes: int
    asns: int
    domains: int
    changed_by: UUID | None = None
    #: added in place (optional): how the set changed: replace, add or remove, and how much
    mode: str | None = None
    added: int | None = None
    removed: int | None = None


class ClaimProvenV1(_NetdataEvent):
    event_type = "netdata.claim.proven"
    version = 1
    organisation_id: UUID
    kind: str
    value: str
    method: str


class ConflictRaisedV1(_NetdataEvent):
    event_type = "netdata.conflict.raised"
    version = 1
    organisation_id: UUID
    kind: str
    value: str
    other_organisation_ids: list[UUID]
    #: added in place (optional): the conflict for the analyst's list; same_value or overlap
    conflict_id: UUID | None = None
    reason: str | None = None


class FindingsReadyV1(_NetdataEvent):
    event_type = "netdata.findings.ready"
    version = 1
    summary = "A feed run found systems in this organisation's networks; notify sends one digest."
    organisation_id: UUID
    feed_run_id: UUID
    feed_name: str
    findings: int
    rows: int
