"""Whether an organisation reports under the statutory duty (meldplicht) or voluntarily."""

from __future__ import annotations

from collections.abc import Iterable

# The registry's entitlement codes for incident reporting (registry.domain.entitlements.Service).
STATUTORY = "incident_reporting.statutory"
_REPORTING_PREFIX = "incident_reporting."
_NIS2_CLASSES = frozenset({"essential", "important"})


def reports_statutorily(classification: str, entitlements: Iterable[str] = ()) -> bool:
    """Essential and important entities report with deadlines (NIS2 art. 23); others voluntarily.

    When the registry states the reporting entitlement itself we follow it, because it knows
    the exceptions (DORA banks report to their supervisor and only voluntarily here).
    """
    stated = [e for e in entitlements if e.startswith(_REPORTING_PREFIX)]
    if stated:
        return STATUTORY in stated
    return classification in _NIS2_CLASSES
