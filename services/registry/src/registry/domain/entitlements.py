"""What an organisation sees in the portal, following from its registration and classification.

Statutory incident reporting (meldplicht, NIS2 art. 23) with its deadlines is only for
essential and important entities; everyone else may report voluntarily (art. 30). Banks
and financial market infrastructures report under DORA to their financial supervisor
(NIS2 art. 4 lex specialis), so the portal offers them voluntary reporting beside it.

Which CSIRT serves a sector is an arrangement between CSIRTs, not a rule of law; the table
below is the default and can be replaced by passing `sectoral_csirts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from registry.domain.classification import NON_QUALIFIED_TSP, QUALIFIED_TSP, Nis2Class
from registry.domain.registration import NetcodeImpact, Registration
from registry.domain.sectors import OTHER

NCSC = "ncsc"

# Keys are sector, subsector or entity-type codes; the most specific match wins.
DEFAULT_SECTORAL_CSIRTS: Mapping[str, str] = {
    "health": "z-cert",  # Z-CERT, the CSIRT for Dutch healthcare
    "public_administration.local": "ibd",  # Informatiebeveiligingsdienst, municipalities
    "energy": NCSC,  # NCSC serves energy directly (as it did vitale aanbieders under the Wbni)
}

DORA_SECTORS = frozenset({"banking", "financial_market_infrastructures"})


@dataclass(frozen=True)
class ReportingDeadlines:
    """NIS2 art. 23(4): counted from the moment the entity becomes aware of the incident."""

    early_warning: timedelta  # vroegtijdige waarschuwing
    incident_notification: timedelta  # incidentmelding
    final_report_months: int  # eindverslag, one month after the incident notification


NIS2_DEADLINES = ReportingDeadlines(timedelta(hours=24), timedelta(hours=72), 1)
# Art. 23(4) second subparagraph: a trust service provider notifies within 24 hours.
TRUST_SERVICE_DEADLINES = ReportingDeadlines(timedelta(hours=24), timedelta(hours=24), 1)


class Service:
    """Stable codes of what the portal offers; the gateway and content service key on them."""

    INCIDENT_REPORTING_STATUTORY = "incident_reporting.statutory"
    INCIDENT_REPORTING_VOLUNTARY = "incident_reporting.voluntary"
    INCIDENT_REPORTING_DORA = "incident_reporting.dora_supervisor"
    ADVISORIES_GENERAL = "advisories.general"
    ADVISORIES_NIS2 = "advisories.nis2"
    NETWORK_DATA = "network_data.upload"
    FEED_WARNINGS = "feeds.warnings"
    NCSC_SECTORAL_SERVICES = "ncsc.sectoral_services"
    ROLE_MANAGEMENT = "people.role_management"
    NETCODE_REPORTING = "netcode.cyber_attack_reporting"
    NETCODE_MINIMUM_CONTROLS = "netcode.minimum_controls"
    NETCODE_ADVANCED_CONTROLS = "netcode.advanced_controls"

    @staticmethod
    def sector_advisories(code: str) -> str:
        return f"advisories.sector.{code}"

    @staticmethod
    def audience(value: Nis2Class) -> str:
        return f"advisories.audience.{value.value}"


@dataclass(frozen=True)
class Entitlements:
    services: frozenset[str]
    sectoral_csirt: str  # code of the CSIRT that serves this organisation
    incident_deadlines: ReportingDeadlines | None  # None: no statutory reporting here

    def __contains__(self, service: str) -> bool:
        return service in self.services


def sectoral_csirt_for(
    registration: Registration, table: Mapping[str, str] = DEFAULT_SECTORAL_CSIRTS
) -> str:
    for key in (registration.entity_type, registration.subsector, registration.sector):
        if key and key in table:
            return table[key]
    return NCSC


def entitlements_for(
    registration: Registration,
    classification: Nis2Class,
    sectoral_csirts: Mapping[str, str] = DEFAULT_SECTORAL_CSIRTS,
) -> Entitlements:
    """`classification` is the final value: an analyst's override counts, not the derived one."""
    services = {
        Service.ADVISORIES_GENERAL,
        Service.NETWORK_DATA,
        Service.FEED_WARNINGS,
        Service.INCIDENT_REPORTING_VOLUNTARY,
        Service.audience(classification),
    }
    if registration.sector != OTHER.code:
        services.add(Service.sector_advisories(registration.sector))
    if registration.subsector:
        services.add(Service.sector_advisories(registration.subsector))

    deadlines: ReportingDeadlines | None = None
    in_scope = classification in (Nis2Class.ESSENTIAL, Nis2Class.IMPORTANT)
    if in_scope:
        services.add(Service.ADVISORIES_NIS2)
        if registration.sector in DORA_SECTORS:
            services.add(Service.INCIDENT_REPORTING_DORA)
        else:
            services.add(Service.INCIDENT_REPORTING_STATUTORY)
            trust = registration.entity_type in (QUALIFIED_TSP, NON_QUALIFIED_TSP)
            deadlines = TRUST_SERVICE_DEADLINES if trust else NIS2_DEADLINES

    csirt = sectoral_csirt_for(registration, sectoral_csirts)
    if csirt == NCSC:
        # MijnNCSC: sectoral information and managing colleagues' roles are for the
        # organisations for which the NCSC is the sectoral CSIRT.
        services |= {Service.NCSC_SECTORAL_SERVICES, Service.ROLE_MANAGEMENT}

    if registration.netcode is not None:
        # Network code on cybersecurity (Regulation (EU) 2024/1366): high- and
        # critical-impact entities report cyber attacks and apply minimum controls;
        # critical-impact entities apply the advanced controls as well.
        services |= {Service.NETCODE_REPORTING, Service.NETCODE_MINIMUM_CONTROLS}
        if registration.netcode is NetcodeImpact.CRITICAL_IMPACT:
            services.add(Service.NETCODE_ADVANCED_CONTROLS)

    return Entitlements(frozenset(services), csirt, deadlines)
