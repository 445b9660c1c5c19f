"""Export of an incident report as a STIX 2.1 bundle, for sharing with other CSIRTs.

Ids are uuid5 values derived from the incident id, so exporting the same incident twice
gives the same objects and a consumer sees new versions (a later ``modified``) rather
than new objects.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import idna

from incidents.domain.errors import DomainError
from incidents.domain.reporting import Indicator, Stage, SubmittedReport

# Our own namespace for uuid5 ids; a fixed value, so ids never change between releases.
WEERBAAR_STIX_NAMESPACE = uuid.UUID("6f0c7a52-4b1e-5d8a-9f3e-2c1d0b9a8e71")

SPEC_VERSION = "2.1"


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str


@dataclass(frozen=True)
class IncidentExport:
    id: str
    organisation: Organisation
    title: str
    reports: Sequence[SubmittedReport]
    indicators: Sequence[Indicator] = field(default_factory=tuple)


def to_stix_bundle(incident: IncidentExport) -> dict[str, Any]:
    """A STIX 2.1 bundle: identity, incident, one indicator and relationship per IoC.

    ``created`` is the first submitted stage, ``modified`` the latest. The indicators are
    the ones given plus those in the reports, each once.
    """
    if not incident.reports:
        raise DomainError(
            "reports",
            "nothing_to_export",
            "Er is nog geen verslag ingediend; een concept wordt niet gedeeld.",
            "No report has been submitted yet; drafts are not shared.",
        )
    reports = sorted(incident.reports, key=lambda r: (r.submitted_at, r.version))
    created = _timestamp(reports[0].submitted_at)
    modified = _timestamp(reports[-1].submitted_at)
    common = {"spec_version": SPEC_VERSION, "created": created, "modified": modified}

    # One identity per incident export: its timestamps follow this incident, and a
    # shared id across incidents would make two exports disagree about one version.
    identity_id = _id("identity", incident.id, "organisation", incident.organisation.id)
    incident_id = _id("incident", incident.id)
    objects: list[dict[str, Any]] = [
        {
            "type": "identity",
            "id": identity_id,
            **common,
            "name": incident.organisation.name,
            "identity_class": "organization",
        },
        {
            "type": "incident",
            "id": incident_id,
            **common,
            "created_by_ref": identity_id,
            "name": incident.title,
            "description": _description(reports),
        },
    ]
    for ioc in _indicators(incident, reports):
        indicator_id = _id("indicator", incident.id, ioc.type, ioc.value)
        objects.append(
            {
                "type": "indicator",
                "id": indicator_id,
                **common,
                "created_by_ref": identity_id,
                "name": f"{ioc.type}: {ioc.value}",
                "indicator_types": ["malicious-activity"],
                "pattern": stix_pattern(ioc),
                "pattern_type": "stix",
                "pattern_version": SPEC_VERSION,
                "valid_from": created,
            }
        )
        objects.append(
            {
                "type": "relationship",
                "id": _id("relationship", incident.id, indicator_id, "indicates"),
                **common,
                "created_by_ref": identity_id,
                "relationship_type": "indicates",
                "source_ref": indicator_id,
                "target_ref": incident_id,
            }
        )
    return {
        "type": "bundle",
        # Stable for the same content, new when a later stage changes ``modified``.
        "id": _id("bundle", incident.id, modified),
        "objects": objects,
    }


def stix_pattern(ioc: Indicator) -> str:
    value = ioc.value
    if ioc.type == "domain":
        # Observed DNS traffic carries the A-label (xn--...), so that is what we match.
        value = idna.encode(value, uts46=True).decode("ascii")
    literal = "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    match ioc.type:
        case "ipv4":
            return f"[ipv4-addr:value = {literal}]"
        case "ipv6":
            return f"[ipv6-addr:value = {literal}]"
        case "domain":
            return f"[domain-name:value = {literal}]"
        case "url":
            return f"[url:value = {literal}]"
        case "sha256":
            return f"[file:hashes.'SHA-256' = {literal}]"
    raise AssertionError(ioc.type)


def _indicators(incident: IncidentExport, reports: Sequence[SubmittedReport]) -> list[Indicator]:
    seen: dict[tuple[str, str], Indicator] = {}
    found = list(incident.indicators)
    for report in reports:
        found.extend(getattr(report.content, "indicators_of_compromise", ()))
    for ioc in found:
        seen.setdefault((ioc.type, ioc.value), ioc)
    return list(seen.values())


_TEXT_FIELDS = ("description", "status_update", "initial_assessment", "summary")


def _description(reports: Sequence[SubmittedReport]) -> str:
    """The latest stage's main text, headed by the stage it came from."""
    for report in reversed(reports):
        for name in _TEXT_FIELDS:
            text = getattr(report.content, name, None)
            if text:
                return f"{_STAGE_TITLES[report.stage]}: {text}"
    return _STAGE_TITLES[reports[-1].stage]


_STAGE_TITLES = {
    Stage.EARLY_WARNING: "Early warning",
    Stage.NOTIFICATION: "Incident notification",
    Stage.INTERMEDIATE: "Intermediate report",
    Stage.FINAL: "Final report",
    Stage.PROGRESS: "Progress report",
}


def _id(stix_type: str, *parts: str) -> str:
    return f"{stix_type}--{uuid.uuid5(WEERBAAR_STIX_NAMESPACE, '/'.join((stix_type, *parts)))}"


def _timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC with milliseconds, as STIX wants: 2025-10-27T00:15:00.000Z."""
    utc = moment.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"
