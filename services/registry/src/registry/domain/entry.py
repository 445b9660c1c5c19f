"""An entry of the register: a registration with what follows from it.

The derived classification and the entitlements are never typed in; they are worked out from
the registration each time it changes, and an analyst's override (if any) decides the final
value. Kept apart from storage so that registering, updating and overriding all agree on what
an entry is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from registry.domain.classification import Classification, Nis2Class, classify
from registry.domain.entitlements import Entitlements, entitlements_for
from registry.domain.registration import Registration


@dataclass(frozen=True)
class Assessment:
    derived: Classification
    final: Nis2Class
    entitlements: Entitlements


def assess(registration: Registration, override: Nis2Class | None = None) -> Assessment:
    """`override` is an analyst's final value; it survives later updates of the registration
    until an analyst lifts it, because it records a judgement the rules could not make."""
    derived = classify(registration)
    final = override or derived.value
    return Assessment(derived, final, entitlements_for(registration, final))


def reasoning_as_json(classification: Classification) -> list[dict[str, str]]:
    return [
        {"code": s.code, "text_nl": s.text_nl, "text_en": s.text_en, "reference": s.reference}
        for s in classification.steps
    ]


def entitlements_as_json(entitlements: Entitlements) -> dict[str, Any]:
    deadlines = entitlements.incident_deadlines
    return {
        "services": sorted(entitlements.services),
        "sectoral_csirt": entitlements.sectoral_csirt,
        "incident_deadlines": None if deadlines is None else {
            "early_warning_hours": int(deadlines.early_warning.total_seconds() // 3600),
            "incident_notification_hours":
                int(deadlines.incident_notification.total_seconds() // 3600),
            "final_report_months": deadlines.final_report_months,
        },
    }


def registration_as_json(registration: Registration) -> dict[str, Any]:
    return registration.model_dump(mode="json")


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Top-level fields whose value differs, in a stable order (what the history shows)."""
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
