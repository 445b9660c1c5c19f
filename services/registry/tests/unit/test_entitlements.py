from datetime import timedelta

from registry.domain.classification import Nis2Class, classify
from registry.domain.entitlements import NCSC, Service, entitlements_for
from registry.domain.registration import parse_registration


def entitled(registration_data, classification=None, **overrides):
    reg = parse_registration(registration_data(**overrides))
    return entitlements_for(reg, classification or classify(reg).value)


def test_essential_entity_gets_statutory_reporting_with_nis2_deadlines(registration_data):
    result = entitled(registration_data)
    assert Service.INCIDENT_REPORTING_STATUTORY in result
    assert result.incident_deadlines.early_warning == timedelta(hours=24)
    assert result.incident_deadlines.incident_notification == timedelta(hours=72)
    assert result.incident_deadlines.final_report_months == 1


def test_entity_outside_nis2_gets_only_voluntary_reporting(registration_data):
    result = entitled(registration_data, sector="other")
    assert Service.INCIDENT_REPORTING_STATUTORY not in result
    assert Service.INCIDENT_REPORTING_VOLUNTARY in result
    assert result.incident_deadlines is None
    assert "advisories.audience.not_in_scope" in result.services


def test_analyst_override_decides_the_reporting_regime(registration_data):
    # a small food company that an analyst classed as important must report
    result = entitled(registration_data, Nis2Class.IMPORTANT, sector="food",
                      size={"employees": 5, "annual_turnover_eur": 1, "balance_sheet_total_eur": 1})
    assert Service.INCIDENT_REPORTING_STATUTORY in result


def test_trust_service_provider_notifies_within_24_hours(registration_data):
    result = entitled(registration_data, sector="digital_infrastructure",
                      entity_type="digital_infrastructure.trust_service_provider.qualified")
    assert result.incident_deadlines.incident_notification == timedelta(hours=24)


def test_bank_reports_under_dora_not_to_the_csirt(registration_data):
    result = entitled(registration_data, sector="banking")
    assert Service.INCIDENT_REPORTING_DORA in result
    assert Service.INCIDENT_REPORTING_STATUTORY not in result
    assert result.incident_deadlines is None


def test_sector_and_subsector_advisories_follow_the_registration(registration_data):
    result = entitled(registration_data, sector="energy", subsector="energy.gas",
                      entity_type="energy.gas.tso")
    assert {"advisories.sector.energy", "advisories.sector.energy.gas"} <= result.services
    assert "advisories.sector.drinking_water" not in result.services


def test_health_is_served_by_z_cert_without_ncsc_sectoral_services(registration_data):
    result = entitled(registration_data, sector="health", entity_type="health.healthcare_provider")
    assert result.sectoral_csirt == "z-cert"
    assert Service.NCSC_SECTORAL_SERVICES not in result


def test_energy_is_served_by_the_ncsc_with_role_management(registration_data):
    result = entitled(registration_data, sector="energy", subsector="energy.electricity",
                      entity_type="energy.electricity.dso")
    assert result.sectoral_csirt == NCSC
    assert {Service.NCSC_SECTORAL_SERVICES, Service.ROLE_MANAGEMENT} <= result.services


def test_netcode_high_impact_brings_reporting_and_minimum_controls_only(registration_data):
    result = entitled(registration_data, sector="energy", subsector="energy.electricity",
                      entity_type="energy.electricity.dso", netcode="high_impact")
    assert {Service.NETCODE_REPORTING, Service.NETCODE_MINIMUM_CONTROLS} <= result.services
    assert Service.NETCODE_ADVANCED_CONTROLS not in result


def test_netcode_critical_impact_adds_advanced_controls(registration_data):
    result = entitled(registration_data, sector="energy", subsector="energy.electricity",
                      entity_type="energy.electricity.tso", netcode="critical_impact")
    assert Service.NETCODE_ADVANCED_CONTROLS in result


def test_no_netcode_obligations_without_the_netcode(registration_data):
    result = entitled(registration_data, sector="energy", subsector="energy.electricity",
                      entity_type="energy.electricity.dso")
    assert not {s for s in result.services if s.startswith("netcode.")}
